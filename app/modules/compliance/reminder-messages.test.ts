import { describe, expect, test } from 'vitest'
import { composeReminder, describeQueuedReminders, describeReminderDelivery, groupByMember, type OutstandingRow } from './reminder-messages.ts'

const row = (membershipId: string, requirementId: string, status: OutstandingRow['status'], dueOn: string): OutstandingRow => ({
	membershipId,
	userId: `user-${membershipId}`,
	name: `Member ${membershipId}`,
	email: `${membershipId}@example.test`,
	requirementId,
	courseSlug: requirementId,
	dueOn: new Date(dueOn),
	status,
})

describe('reminder messages', () => {
	test('one recipient per member, overdue requirements first', () => {
		const recipients = groupByMember([row('a', 'phishing', 'DUE', '2026-12-10'), row('a', 'passwords', 'OVERDUE', '2026-11-01'), row('b', 'phishing', 'DUE', '2026-12-10')])
		expect(recipients.map((recipient) => recipient.membershipId)).toEqual(['a', 'b'])
		expect(recipients[0]!.requirements.map((requirement) => requirement.requirementId)).toEqual(['passwords', 'phishing'])
	})

	test('a reminder names the organisation, each requirement with its due date and the link', () => {
		const [recipient] = groupByMember([row('a', 'phishing', 'OVERDUE', '2026-11-01')])
		const { subject, text } = composeReminder(recipient!, { kind: 'REMINDER', organisationName: 'Acme', origin: 'https://t.example', labelOf: () => 'Phishing' })
		expect(subject).toBe('Reminder from Acme: security training overdue')
		expect(text).toContain('A manager at Acme reminds you to complete this security-awareness course on Bulwark:')
		expect(text).toContain('- Phishing (Overdue): due ')
		expect(text).toContain('Open your training: https://t.example/dashboard')
	})

	test('a digest for two due courses speaks of both and says how often it comes', () => {
		const [recipient] = groupByMember([row('a', 'phishing', 'DUE', '2026-12-10'), row('a', 'passwords', 'DUE', '2026-12-11')])
		const { subject, text } = composeReminder(recipient!, { kind: 'DIGEST', organisationName: 'Acme', origin: 'https://t.example', labelOf: (r) => r.courseSlug })
		expect(subject).toBe('Acme: your security training is due soon')
		expect(text).toContain('these security-awareness courses')
		expect(text).toContain('at most once a day')
	})
})

describe('what the manager is told', () => {
	test('queued reminders say where they are, with and without email', () => {
		expect(describeQueuedReminders({ queued: 25, alreadyRemindedToday: 0 }, false)).toBe('Queued 25 reminders; email is not configured, so they wait in the outbox.')
		expect(describeQueuedReminders({ queued: 1, alreadyRemindedToday: 0 }, true)).toBe('Queued 1 reminder; it is being emailed now.')
		expect(describeQueuedReminders({ queued: 0, alreadyRemindedToday: 3 }, true)).toBe(
			'Queued 0 reminders. 3 members already had one today and will hear again tomorrow at the earliest.',
		)
	})

	test('the delivery line lists only the states that occur, and nothing without reminders', () => {
		const counts = { delivered: 20, queued: 0, waiting: 0, retrying: 2, failed: 1, discarded: 0 }
		expect(describeReminderDelivery({ days: 7, total: 23, counts })).toBe('Your reminders in the last 7 days: 20 delivered, 2 not delivered yet, being retried, 1 failed.')
		expect(describeReminderDelivery({ days: 7, total: 0, counts: { ...counts, delivered: 0, retrying: 0, failed: 0 } })).toBeNull()
	})
})
