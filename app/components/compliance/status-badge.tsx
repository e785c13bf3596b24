import { type RequirementStatus, STATUS_LABELS } from '#app/modules/compliance/status.ts'

export function StatusBadge({ status }: { status: RequirementStatus }) {
	return <span className={`badge badge-status-${status.toLowerCase()}`}>{STATUS_LABELS[status]}</span>
}
