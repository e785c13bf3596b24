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

export type StatusCounts = Record<RequirementStatus, number>

export const emptyStatusCounts = (): StatusCounts => ({ OVERDUE: 0, DUE: 0, EXPIRING: 0, COMPLIANT: 0 })

export const totalOf = (counts: StatusCounts) => REQUIREMENT_STATUSES.reduce((sum, status) => sum + counts[status], 0)

/**
 * The share that meets its requirements, rounded down so an organisation with one member overdue
 * never reads 100 %. Null when nobody is counted.
 */
export function percentCompliant(counts: StatusCounts) {
	const total = totalOf(counts)
	return total ? Math.floor(((counts.COMPLIANT + counts.EXPIRING) * 100) / total) : null
}
