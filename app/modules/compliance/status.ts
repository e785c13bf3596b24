/**
 * A member's status for one requirement. The rules live in one place, the SQL function
 * `bulwark_requirement_status` (migration training_requirements; README, Compliance), and every
 * screen and export reads them from there. Worst first.
 */
export const REQUIREMENT_STATUSES = ['OVERDUE', 'DUE', 'EXPIRING', 'COMPLIANT'] as const
export type RequirementStatus = (typeof REQUIREMENT_STATUSES)[number]

export const STATUS_LABELS: Record<RequirementStatus, string> = {
	OVERDUE: 'Overdue',
	DUE: 'Due',
	EXPIRING: 'Expiring soon',
	COMPLIANT: 'Compliant',
}

/** Expiring still counts: the completion is valid, only its renewal is near. */
export const meetsRequirement = (status: RequirementStatus) => status === 'COMPLIANT' || status === 'EXPIRING'

/** Sorts worst first, then by the earlier due date. */
export function byUrgency<Row extends { status: RequirementStatus; dueOn: Date }>(a: Row, b: Row) {
	return REQUIREMENT_STATUSES.indexOf(a.status) - REQUIREMENT_STATUSES.indexOf(b.status) || a.dueOn.getTime() - b.dueOn.getTime()
}
