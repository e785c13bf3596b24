import { randomBytes } from 'node:crypto'
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
	'member.import_applied': 'Imported members from a CSV file',
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
	'sso.configured': 'Set up single sign-on',
	'sso.updated': 'Changed single sign-on',
	'sso.member_joined': 'Joined through single sign-on',
	'scim.token_created': 'Created a SCIM token',
	'scim.token_revoked': 'Revoked a SCIM token',
	'member.provisioned': 'Provisioned a member',
	'member.profile_changed': 'Changed a member’s name or email address',
	'member.external_id_changed': 'Linked a member to the identity provider',
	'department.renamed': 'Renamed a department',
	'department.deleted': 'Deleted a department',
	'organisation.mfa_required': 'Required a second factor of every member',
	'organisation.mfa_optional': 'Stopped requiring a second factor',
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

/**
 * Many events in one statement, for changes that touch thousands of people at once (the CSV
 * import): one INSERT from arrays instead of one per event.
 */
export async function recordAuditEvents(db: Db, entries: readonly AuditEntry[]) {
	if (entries.length === 0) return
	if (entries.length === 1) return recordAuditEvent(db, entries[0]!)
	const column = <Value>(pick: (entry: AuditEntry) => Value) => entries.map(pick)
	await db.$executeRaw`
		INSERT INTO "AuditEvent" ("id", "organisationId", "actorId", "action", "targetUserId", "targetLabel", "details", "createdAt")
		SELECT e."id", e."organisationId", e."actorId", e."action", e."targetUserId", e."targetLabel", e."details"::jsonb, ${new Date()}::timestamp(3)
		FROM unnest(
			${column(() => randomBytes(12).toString('hex'))}::text[],
			${column((entry) => entry.organisationId)}::text[],
			${column((entry) => entry.actorId)}::text[],
			${column((entry) => entry.action)}::text[],
			${column((entry) => entry.targetUserId ?? null)}::text[],
			${column((entry) => entry.targetLabel ?? null)}::text[],
			${column((entry) => (entry.details ? JSON.stringify(entry.details) : null))}::text[]
		) AS e("id", "organisationId", "actorId", "action", "targetUserId", "targetLabel", "details")`
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
