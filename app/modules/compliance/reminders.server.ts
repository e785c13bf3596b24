import { Prisma } from '#app/generated/prisma/client.ts'
import { countByState, type DeliveryCounts, type DeliveryFields, deliveryState } from '#app/modules/mail/delivery-state.ts'
import { queueEmails } from '#app/modules/mail/outbox.server.ts'
import { recordAuditEvent } from '#app/modules/organisations/audit.server.ts'
import { coversDepartment, type ManagerScope, inScope } from '#app/modules/organisations/manager-scope.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { isEmailConfigured } from '#app/utils/email.server.ts'
import { notFound } from '#app/utils/http.server.ts'
import { memberStatus, requirementStatus } from './report.server.ts'
import { composeReminder, type Composition, groupByMember, type OutstandingRow, type Recipient, type ReminderResult } from './reminder-messages.ts'
import { requirementsById } from './requirements.server.ts'

// A manager's reminders: found here, written by reminder-messages.ts, queued in the outbox and
// delivered by its worker. At most one reminder per member and UTC day (the outbox's unique index);
// the daily digest (daily-run.server.ts) counts apart.

const DAY_MS = 24 * 60 * 60 * 1000
/** How far back the dashboard reports on the delivery of a manager's reminders. */
export const REMINDER_REPORT_DAYS = 7

export async function labelResolver(organisationId: string) {
	const requirements = await requirementsById(organisationId)
	return ({ requirementId, courseSlug }: { requirementId: string; courseSlug: string }) => requirements.get(requirementId)?.label ?? courseSlug
}

/** One outbox message per recipient, for `organisationId`. */
export const remindersFor = (recipients: Recipient[], composition: Composition, organisationId: string, createdById: string | null) =>
	recipients.map((recipient) => ({
		kind: composition.kind,
		organisationId,
		membershipId: recipient.membershipId,
		createdById,
		to: recipient.email,
		...composeReminder(recipient, composition),
	}))

/** A member's requirements with their status at `at` (rules of migration training_requirements). */
export const requirementsAt = (at: Date) =>
	Prisma.sql`SELECT r."membershipId", r."requirementId", r."courseSlug", r."dueOn", ${requirementStatus(at)} AS "status" FROM "MemberRequirementState" r`

/** The due and overdue rows of `requirements` (a query with requirementsAt's columns) whose member is active. */
export const outstandingOf = (requirements: Prisma.Sql, condition = Prisma.empty) => prisma.$queryRaw<OutstandingRow[]>`
	SELECT m."id" AS "membershipId", u."id" AS "userId", u."name", u."email", o."requirementId", o."courseSlug", o."dueOn", o."status"
	FROM (${requirements}) o
	JOIN "Membership" m ON m."id" = o."membershipId" AND m."deactivatedAt" IS NULL
	JOIN "User" u ON u."id" = m."userId"
	WHERE o."status" IN ('DUE', 'OVERDUE') ${condition}
	ORDER BY m."id"`

/**
 * The due and overdue requirements of the members in scope whose status as a whole is due or
 * overdue (one member only with `membershipId`), in one statement for all of them.
 */
const findDueMembers = (scope: ManagerScope, membershipId: string | undefined, at: Date) =>
	outstandingOf(Prisma.sql`
		${requirementsAt(at)}
		JOIN "MemberComplianceState" s ON s."membershipId" = r."membershipId"
		WHERE s."organisationId" = ${scope.organisationId} ${inScope(scope, Prisma.sql`s."departmentId"`)}
			${membershipId ? Prisma.sql`AND s."membershipId" = ${membershipId}` : Prisma.empty}
			AND ${memberStatus(at)} IN ('DUE', 'OVERDUE')`)

/** Why one member cannot be reminded: not among those the manager sees (404), or nothing due (400). */
async function refuseReminder(scope: ManagerScope, membershipId: string) {
	const membership = await prisma.membership.findFirst({
		where: { id: membershipId, organisationId: scope.organisationId, deactivatedAt: null },
		select: { departmentId: true, user: { select: { name: true } } },
	})
	if (!membership || !coversDepartment(scope, membership.departmentId)) return notFound('We could not find that member among those you can see.')
	return new NothingToRemind(`${membership.user.name} has no training due or overdue, so there is nothing to remind them of.`)
}

/** A reminder for a member with nothing due or overdue: the page says so next to the button. */
export class NothingToRemind extends Error {}

/**
 * A manager's reminder: to every active member in scope who is due or overdue, or to one of them
 * (`membershipId`), at most one a member per UTC day. Queued in the outbox with the audit event,
 * in one transaction; the worker emails them.
 */
export async function queueReminders({
	scope,
	actorId,
	membershipId,
	origin,
	at = new Date(),
}: {
	scope: ManagerScope
	actorId: string
	membershipId?: string
	origin: string
	at?: Date
}): Promise<ReminderResult> {
	const [rows, organisation, labelOf] = await Promise.all([
		findDueMembers(scope, membershipId, at),
		prisma.organisation.findUniqueOrThrow({ where: { id: scope.organisationId }, select: { name: true } }),
		labelResolver(scope.organisationId),
	])
	const recipients = groupByMember(rows)
	if (membershipId && recipients.length === 0) throw await refuseReminder(scope, membershipId)
	const messages = remindersFor(recipients, { kind: 'REMINDER', organisationName: organisation.name, origin, labelOf }, scope.organisationId, actorId)
	const queued = await prisma.$transaction(async (tx) => {
		const written = await queueEmails(tx, messages, at)
		const only = membershipId ? recipients[0] : undefined
		await recordAuditEvent(tx, {
			organisationId: scope.organisationId,
			actorId,
			action: 'compliance.reminders_queued',
			targetUserId: only?.userId ?? null,
			targetLabel: only?.email ?? null,
			details: { queued: written.length, alreadyRemindedToday: messages.length - written.length },
		})
		return written.length
	})
	return { queued, alreadyRemindedToday: messages.length - queued }
}

export type ReminderDeliveryReport = { days: number; total: number; counts: DeliveryCounts }

/** What became of the reminders this manager queued in the organisation over the last days. */
export async function reportReminderDelivery({ organisationId, actorId, at = new Date() }: { organisationId: string; actorId: string; at?: Date }): Promise<ReminderDeliveryReport> {
	// Counted in the database, one row per combination of the facts a delivery state is read from
	// (the dashboard asks on every view; a manager may have reminded thousands this week). Each
	// row's min() values are a member of its group, so deliveryState reads it as any of them.
	const groups = await prisma.$queryRaw<(DeliveryFields & { count: number })[]>`
		SELECT min("deliveredAt") AS "deliveredAt", min("failedAt") AS "failedAt", min("attempts") AS "attempts", count(*)::int AS "count"
		FROM "OutboxMessage"
		WHERE "organisationId" = ${organisationId} AND "createdById" = ${actorId} AND "kind" = 'REMINDER'
			AND "createdAt" >= ${new Date(at.getTime() - REMINDER_REPORT_DAYS * DAY_MS)}::timestamp(3)
		GROUP BY "deliveredAt" IS NULL, "failedAt" IS NULL, "attempts" = 0`
	const counts = countByState(groups, isEmailConfigured())
	return { days: REMINDER_REPORT_DAYS, total: Object.values(counts).reduce((sum, count) => sum + count, 0), counts }
}

/** How many of a member's latest reminders and digests their compliance page lists. */
export const MEMBER_REMINDERS_SHOWN = 10

/** The member's latest reminders and digests with what became of each; call once the member is known to be in scope. */
export async function listMemberReminders(organisationId: string, membershipId: string) {
	const emailConfigured = isEmailConfigured()
	const messages = await prisma.outboxMessage.findMany({
		where: { organisationId, membershipId, kind: { in: ['REMINDER', 'DIGEST'] } },
		orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
		take: MEMBER_REMINDERS_SHOWN,
		select: { id: true, kind: true, createdAt: true, deliveredAt: true, failedAt: true, attempts: true, deliveryError: true },
	})
	return messages.map(({ deliveredAt, failedAt, attempts, ...message }) => ({ ...message, deliveredAt, state: deliveryState({ deliveredAt, failedAt, attempts }, emailConfigured) }))
}
