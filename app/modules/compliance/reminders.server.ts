import { randomBytes } from 'node:crypto'
import { Prisma } from '#app/generated/prisma/client.ts'
import type { OutboxKind } from '#app/generated/prisma/enums.ts'
import { recordAuditEvent } from '#app/modules/organisations/audit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { isEmailConfigured, sendEmail } from '#app/utils/email.server.ts'
import { formatDate } from '#app/utils/format-date.ts'
import { notFound } from '#app/utils/http.server.ts'
import { snapshotOrganisation, utcDay } from './history.server.ts'
import { memberStatus, requirementStatus } from './report.server.ts'
import { requirementsById } from './requirements.server.ts'
import { coversDepartment, type ManagerScope, inScope } from '#app/modules/organisations/manager-scope.server.ts'
import { byUrgency, STATUS_LABELS } from './status.ts'

// Every message Bulwark writes to a member goes to "OutboxMessage" first and is emailed from there
// when SMTP is configured, so an organisation without mail loses nothing. Its unique index on
// ("membershipId", "kind", "sentOn") is the rule "at most one reminder and one digest per member per
// UTC day": the insert skips whoever has one already, also when two managers click at once. The
// kinds count apart, so the morning's digest does not use up a manager's reminder.

const DAY_MS = 24 * 60 * 60 * 1000
/** The digest goes to members with a requirement overdue or due within this many days (inclusive). */
export const DIGEST_DUE_WITHIN_DAYS = 7
export const OUTBOX_PAGE_SIZE = 50
/** SMTP connections open at once while delivering a batch. */
const DELIVERIES_AT_ONCE = 4
const DELIVERY_ERROR_LENGTH = 300
/** A message still undelivered this long after it was written is taken as abandoned and sent again. */
const UNFINISHED_AFTER_MS = 10 * 60 * 1000
/** Outbox rows per INSERT: keeps each statement's parameters small in a large organisation. */
const MESSAGES_PER_STATEMENT = 1000

/** A requirement the member has not met: due or overdue, with the status rules of the SQL functions. */
type OutstandingRow = {
	membershipId: string
	userId: string
	name: string
	email: string
	requirementId: string
	courseSlug: string
	dueOn: Date
	status: 'DUE' | 'OVERDUE'
}

type Recipient = Pick<OutstandingRow, 'membershipId' | 'userId' | 'name' | 'email'> & { requirements: Pick<OutstandingRow, 'requirementId' | 'courseSlug' | 'dueOn' | 'status'>[] }

/** Rows come ordered by member: one recipient per member, their requirements worst first. */
function groupByMember(rows: OutstandingRow[]) {
	const recipients = new Map<string, Recipient>()
	for (const { requirementId, courseSlug, dueOn, status, ...member } of rows) {
		let recipient = recipients.get(member.membershipId)
		if (!recipient) recipients.set(member.membershipId, (recipient = { ...member, requirements: [] }))
		recipient.requirements.push({ requirementId, courseSlug, dueOn, status })
	}
	for (const recipient of recipients.values()) recipient.requirements.sort(byUrgency)
	return [...recipients.values()]
}

/** `labelOf` names a requirement as every report does (labelRequirements). */
type Composition = { kind: OutboxKind; organisationName: string; origin: string; labelOf: (requirement: { requirementId: string; courseSlug: string }) => string }

const INTRO: Record<OutboxKind, (organisationName: string, count: number) => string> = {
	REMINDER: (organisationName, count) =>
		`A manager at ${organisationName} reminds you to complete ${count === 1 ? 'this security-awareness course' : 'these security-awareness courses'} on Bulwark:`,
	DIGEST: (organisationName, count) =>
		`${organisationName} asks you to complete ${count === 1 ? 'this security-awareness course' : 'these security-awareness courses'} on Bulwark:`,
}

const FOOTER: Record<OutboxKind, string> = {
	REMINDER: 'You get at most one reminder a day.',
	DIGEST: `This summary comes at most once a day while training of yours is overdue or due within ${DIGEST_DUE_WITHIN_DAYS} days.`,
}

function composeMessage(recipient: Recipient, { kind, organisationName, origin, labelOf }: Composition) {
	const overdue = recipient.requirements.some((requirement) => requirement.status === 'OVERDUE')
	const subject =
		kind === 'REMINDER'
			? `Reminder from ${organisationName}: security training ${overdue ? 'overdue' : 'due'}`
			: `${organisationName}: your security training is ${overdue ? 'overdue' : 'due soon'}`
	const text = [
		`Hello ${recipient.name},`,
		'',
		INTRO[kind](organisationName, recipient.requirements.length),
		'',
		...recipient.requirements.map(
			(requirement) => `- ${labelOf(requirement)} (${STATUS_LABELS[requirement.status]}): due ${formatDate(requirement.dueOn)}`,
		),
		'',
		`Open your training: ${origin}/dashboard`,
		'',
		FOOTER[kind],
	].join('\n')
	return { subject, text }
}

type Outbound = { id: string; membershipId: string; to: string; subject: string; text: string }

/**
 * Writes one message per recipient, a statement per batch; the unique index skips members who have
 * one for `sentOn` already. Returns the messages written.
 */
async function insertMessages(
	db: Prisma.TransactionClient | typeof prisma,
	{ organisationId, kind, sentOn, createdById, messages }: { organisationId: string; kind: OutboxKind; sentOn: Date; createdById: string | null; messages: Outbound[] },
) {
	const written = new Set<string>()
	for (let start = 0; start < messages.length; start += MESSAGES_PER_STATEMENT) {
		const batch = messages.slice(start, start + MESSAGES_PER_STATEMENT)
		const column = <Key extends keyof Outbound>(key: Key) => batch.map((message) => message[key])
		const rows = await db.$queryRaw<{ id: string }[]>`
			INSERT INTO "OutboxMessage" ("id", "organisationId", "membershipId", "kind", "to", "subject", "text", "sentOn", "createdAt", "createdById")
			SELECT m."id", ${organisationId}, m."membershipId", CAST(${kind} AS "OutboxKind"), m."to", m."subject", m."text", ${sentOn}::date, ${new Date()}::timestamp(3), ${createdById}::text
			FROM unnest(${column('id')}::text[], ${column('membershipId')}::text[], ${column('to')}::text[], ${column('subject')}::text[], ${column('text')}::text[])
				AS m("id", "membershipId", "to", "subject", "text")
			ON CONFLICT ("membershipId", "kind", "sentOn") DO NOTHING
			RETURNING "id"`
		for (const row of rows) written.add(row.id)
	}
	return messages.filter((message) => written.has(message.id))
}

/** The first line of what went wrong, short: the outbox shows it to admins, never a stack. */
function describeDeliveryError(error: unknown) {
	const message = error instanceof Error ? error.message : String(error)
	return (message.split('\n')[0] || 'Delivery failed').slice(0, DELIVERY_ERROR_LENGTH)
}

/**
 * Emails the messages when SMTP is configured, a few at a time, and records each outcome on its
 * row as soon as it is known. A refused message does not stop the others. Without SMTP the
 * messages stay in the outbox with deliveredAt null. Returns how many failed.
 */
async function deliver(messages: Outbound[]) {
	if (!isEmailConfigured()) return 0
	let next = 0
	let failed = 0
	const worker = async () => {
		for (let message = messages[next++]; message; message = messages[next++]) {
			const { id, to, subject, text } = message
			const outcome = await sendEmail({ to, subject, text }).then(
				() => ({ deliveredAt: new Date(), deliveryError: null }),
				(error: unknown) => {
					failed++
					return { deliveredAt: null, deliveryError: describeDeliveryError(error) }
				},
			)
			await prisma.outboxMessage.update({ where: { id }, data: outcome, select: { id: true } })
		}
	}
	await Promise.all(Array.from({ length: Math.min(DELIVERIES_AT_ONCE, messages.length) }, worker))
	return failed
}

/**
 * Messages written while SMTP was configured whose delivery never finished (the process stopped
 * mid-batch): written in the last day, and not in the last 10 minutes, which a request may still be
 * sending. Without SMTP nothing is picked up, so switching mail on later does not send old news.
 */
async function deliverUnfinished(at: Date) {
	if (!isEmailConfigured()) return { delivered: 0, failed: 0 }
	const unfinished = await prisma.outboxMessage.findMany({
		where: {
			deliveredAt: null,
			deliveryError: null,
			membershipId: { not: null },
			createdAt: { gt: new Date(at.getTime() - DAY_MS), lt: new Date(at.getTime() - UNFINISHED_AFTER_MS) },
		},
		orderBy: { createdAt: 'asc' },
		take: MESSAGES_PER_STATEMENT,
		select: { id: true, membershipId: true, to: true, subject: true, text: true },
	})
	const failed = await deliver(unfinished.map((message) => ({ ...message, membershipId: message.membershipId! })))
	return { delivered: unfinished.length - failed, failed }
}

const newMessageId = () => randomBytes(12).toString('hex')

async function labelResolver(organisationId: string) {
	const requirements = await requirementsById(organisationId)
	return ({ requirementId, courseSlug }: { requirementId: string; courseSlug: string }) => requirements.get(requirementId)?.label ?? courseSlug
}

function outboundFor(recipients: Recipient[], composition: Composition): Outbound[] {
	return recipients.map((recipient) => ({ id: newMessageId(), membershipId: recipient.membershipId, to: recipient.email, ...composeMessage(recipient, composition) }))
}

/** A member's requirements with their status at `at` (rules of migration training_requirements). */
const requirementsAt = (at: Date) =>
	Prisma.sql`SELECT r."membershipId", r."requirementId", r."courseSlug", r."dueOn", ${requirementStatus(at)} AS "status" FROM "MemberRequirementState" r`

/** The due and overdue rows of `requirements` (a query with requirementsAt's columns) whose member is active. */
const outstandingOf = (requirements: Prisma.Sql, condition = Prisma.empty) => prisma.$queryRaw<OutstandingRow[]>`
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

export type ReminderResult = { sent: number; alreadyRemindedToday: number }

/**
 * A manager's reminder: to every active member in scope who is due or overdue, or to one of them
 * (`membershipId`), at most one a member per UTC day. Recorded in the audit log, one event a click.
 */
export async function sendReminders({
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
	const messages = outboundFor(recipients, { kind: 'REMINDER', organisationName: organisation.name, origin, labelOf })
	const written = await prisma.$transaction(async (tx) => {
		const inserted = await insertMessages(tx, { organisationId: scope.organisationId, kind: 'REMINDER', sentOn: utcDay(at), createdById: actorId, messages })
		const only = membershipId ? recipients[0] : undefined
		await recordAuditEvent(tx, {
			organisationId: scope.organisationId,
			actorId,
			action: 'compliance.reminders_sent',
			targetUserId: only?.userId ?? null,
			targetLabel: only?.email ?? null,
			details: { sent: inserted.length, alreadyRemindedToday: messages.length - inserted.length },
		})
		return inserted
	})
	await deliver(written)
	return { sent: written.length, alreadyRemindedToday: messages.length - written.length }
}

/**
 * The digest's recipients in one organisation: active members with a requirement overdue, or due
 * by `dueBy`; each with all their due and overdue requirements. One statement.
 */
const findDigestMembers = (organisationId: string, at: Date, dueBy: Date) =>
	outstandingOf(
		Prisma.sql`
			SELECT o.*, bool_or(o."status" = 'OVERDUE' OR (o."status" = 'DUE' AND o."dueOn" <= ${dueBy}::date)) OVER (PARTITION BY o."membershipId") AS "urgent"
			FROM (${requirementsAt(at)} WHERE r."organisationId" = ${organisationId}) o`,
		Prisma.sql`AND o."urgent"`,
	)

export type DigestRunResult = {
	organisations: number
	sent: number
	alreadyRemindedToday: number
	/** Emails SMTP accepted in this run: its digests, and earlier messages whose delivery had not finished. */
	delivered: number
	deliveryFailures: number
	/** Organisations whose snapshot or digest failed (logged); the others were done all the same. */
	failedOrganisations: number
}

/**
 * The daily job (`npm run reminders`): for every organisation, today's compliance snapshot, and a
 * digest to every active member with training overdue or due within 7 days. Safe to run again the
 * same day: the snapshot is replaced and nobody gets a second digest. It also finishes deliveries
 * an earlier process left undone.
 */
export async function sendDailyDigests({ origin, at = new Date() }: { origin: string; at?: Date }): Promise<DigestRunResult> {
	const organisations = await prisma.organisation.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true } })
	const sentOn = utcDay(at)
	const dueBy = new Date(sentOn.getTime() + DIGEST_DUE_WITHIN_DAYS * DAY_MS)
	const late = await deliverUnfinished(at)
	const result: DigestRunResult = {
		organisations: organisations.length,
		sent: 0,
		alreadyRemindedToday: 0,
		delivered: late.delivered,
		deliveryFailures: late.failed,
		failedOrganisations: 0,
	}
	for (const organisation of organisations) {
		try {
			await snapshotOrganisation(organisation.id, at)
			const [rows, labelOf] = await Promise.all([findDigestMembers(organisation.id, at, dueBy), labelResolver(organisation.id)])
			const messages = outboundFor(groupByMember(rows), { kind: 'DIGEST', organisationName: organisation.name, origin, labelOf })
			const written = await insertMessages(prisma, { organisationId: organisation.id, kind: 'DIGEST', sentOn, createdById: null, messages })
			result.sent += written.length
			result.alreadyRemindedToday += messages.length - written.length
			const failed = await deliver(written)
			if (isEmailConfigured()) result.delivered += written.length - failed
			result.deliveryFailures += failed
		} catch (error) {
			result.failedOrganisations++
			console.error(`The daily compliance run failed for organisation ${organisation.id}`, error)
		}
	}
	return result
}

/** The organisation's outbox, newest first, with the member where the membership still exists. */
export async function listOutbox(organisationId: string, page: number) {
	const [messages, total] = await Promise.all([
		prisma.outboxMessage.findMany({
			where: { organisationId },
			orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
			skip: (page - 1) * OUTBOX_PAGE_SIZE,
			take: OUTBOX_PAGE_SIZE,
			select: {
				id: true,
				kind: true,
				to: true,
				subject: true,
				text: true,
				sentOn: true,
				createdAt: true,
				deliveredAt: true,
				deliveryError: true,
				membership: { select: { user: { select: { name: true, email: true } } } },
			},
		}),
		prisma.outboxMessage.count({ where: { organisationId } }),
	])
	return {
		messages: messages.map(({ membership, ...message }) => ({ ...message, member: membership?.user ?? null })),
		total,
		pageCount: Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE)),
	}
}
