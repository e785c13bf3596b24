import type { Prisma } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'

export const AUDIT_ACTIONS = {
	'organisation.created': 'Created the organisation',
	'department.created': 'Created a department',
	'invitation.created': 'Invited a member',
	'invitation.revoked': 'Revoked an invitation',
	'invitation.accepted': 'Accepted an invitation',
	'member.role_changed': 'Changed a role',
	'member.department_changed': 'Changed a department',
	'member.deactivated': 'Deactivated a member',
	'member.reactivated': 'Reactivated a member',
	'member.manager_departments_changed': 'Limited a manager to departments',
	'requirement.created': 'Added a training requirement',
	'requirement.adjusted': 'Adjusted a training requirement',
	'requirement.paused': 'Paused a training requirement',
	'requirement.resumed': 'Resumed a training requirement',
	'requirement.removed': 'Removed a training requirement',
	'requirement.baseline_applied': 'Applied the training baseline',
	/** Written before reminders went through the outbox worker; kept so older entries read right. */
	'compliance.reminders_sent': 'Sent training reminders',
	'compliance.reminders_queued': 'Queued training reminders',
	'compliance.statement_issued': 'Issued a compliance statement',
	'scim.token_created': 'Created a SCIM token',
	'scim.token_revoked': 'Revoked a SCIM token',
	'member.provisioned': 'Provisioned a member',
	'member.profile_changed': 'Changed a member’s name or email address',
	'member.external_id_changed': 'Linked a member to the identity provider',
	'department.renamed': 'Renamed a department',
	'department.deleted': 'Deleted a department',
} as const

export type AuditAction = keyof typeof AUDIT_ACTIONS

type Db = Prisma.TransactionClient | typeof prisma

export interface AuditEntry {
	organisationId: string
	actorId: string | null
	action: AuditAction
	targetUserId?: string | null
	targetLabel?: string | null
	details?: Prisma.InputJsonObject
}

/** Written in the same transaction as the change it records, so neither exists without the other. */
export async function recordAuditEvent(db: Db, entry: AuditEntry) {
	await db.auditEvent.create({ data: entry, select: { id: true } })
}

export const AUDIT_PAGE_SIZE = 50

export async function listAuditEvents(organisationId: string, page: number) {
	const [events, total] = await Promise.all([
		prisma.auditEvent.findMany({
			where: { organisationId },
			orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
			skip: (page - 1) * AUDIT_PAGE_SIZE,
			take: AUDIT_PAGE_SIZE,
			select: {
				id: true,
				action: true,
				targetLabel: true,
				details: true,
				createdAt: true,
				actor: { select: { name: true, email: true } },
				targetUser: { select: { name: true, email: true } },
			},
		}),
		prisma.auditEvent.count({ where: { organisationId } }),
	])
	return { events, total, pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) }
}
