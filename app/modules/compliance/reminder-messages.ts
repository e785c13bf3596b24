import type { DeliveryCounts } from '#app/modules/mail/delivery-state.ts'
import { formatDate } from '#app/utils/format-date.ts'
import { byUrgency, STATUS_LABELS } from './status.ts'

// The text of reminders and daily digests: what a member reads, composed from their due and
// overdue requirements. No database here; reminders.server.ts and daily-run.server.ts find the
// recipients and queue the messages.

/** The digest goes to members with a requirement overdue or due within this many days (inclusive). */
export const DIGEST_DUE_WITHIN_DAYS = 7

export type ReminderKind = 'REMINDER' | 'DIGEST'

/** A requirement the member has not met: due or overdue, with the status rules of the SQL functions. */
export type OutstandingRow = {
	membershipId: string
	userId: string
	name: string
	email: string
	requirementId: string
	courseSlug: string
	dueOn: Date
	status: 'DUE' | 'OVERDUE'
}

export type Recipient = Pick<OutstandingRow, 'membershipId' | 'userId' | 'name' | 'email'> & {
	requirements: Pick<OutstandingRow, 'requirementId' | 'courseSlug' | 'dueOn' | 'status'>[]
}

/** Rows come ordered by member: one recipient per member, their requirements worst first. */
export function groupByMember(rows: OutstandingRow[]) {
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
export type Composition = {
	kind: ReminderKind
	organisationName: string
	origin: string
	labelOf: (requirement: { requirementId: string; courseSlug: string }) => string
}

const INTRO: Record<ReminderKind, (organisationName: string, count: number) => string> = {
	REMINDER: (organisationName, count) =>
		`A manager at ${organisationName} reminds you to complete ${count === 1 ? 'this security-awareness course' : 'these security-awareness courses'} on Bulwark:`,
	DIGEST: (organisationName, count) =>
		`${organisationName} asks you to complete ${count === 1 ? 'this security-awareness course' : 'these security-awareness courses'} on Bulwark:`,
}

const FOOTER: Record<ReminderKind, string> = {
	REMINDER: 'You get at most one reminder a day.',
	DIGEST: `This summary comes at most once a day while training of yours is overdue or due within ${DIGEST_DUE_WITHIN_DAYS} days.`,
}

export function composeReminder(recipient: Recipient, { kind, organisationName, origin, labelOf }: Composition) {
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

export type ReminderResult = { queued: number; alreadyRemindedToday: number }

/** What the manager is told after a reminder click: what was queued, and where it is now. */
export function describeQueuedReminders({ queued, alreadyRemindedToday }: ReminderResult, emailConfigured: boolean) {
	const parts = [
		queued === 1 ? 'Queued 1 reminder' : `Queued ${queued} reminders`,
		queued === 0 ? '' : emailConfigured ? (queued === 1 ? 'it is being emailed now' : 'they are being emailed now') : `email is not configured, so ${queued === 1 ? 'it waits' : 'they wait'} in the outbox`,
	].filter(Boolean)
	const sentence = `${parts.join('; ')}.`
	if (!alreadyRemindedToday) return sentence
	return `${sentence} ${alreadyRemindedToday === 1 ? '1 member already had one' : `${alreadyRemindedToday} members already had one`} today and will hear again tomorrow at the earliest.`
}

/** The dashboard's line on what became of the manager's recent reminders, or null when there were none. */
export function describeReminderDelivery({ days, total, counts }: { days: number; total: number; counts: DeliveryCounts }) {
	if (total === 0) return null
	const parts = [
		counts.delivered ? `${counts.delivered} delivered` : '',
		counts.queued ? `${counts.queued} being sent` : '',
		counts.waiting ? `${counts.waiting} waiting in the outbox (email is not configured)` : '',
		counts.retrying ? `${counts.retrying} not delivered yet, being retried` : '',
		counts.failed ? `${counts.failed} failed` : '',
		counts.discarded ? `${counts.discarded} discarded unsent` : '',
	].filter(Boolean)
	return `Your reminders in the last ${days} days: ${parts.join(', ')}.`
}
