import { afterEach, describe, expect, test } from 'vitest'
import { MAX_DELIVERY_ATTEMPTS } from '#app/modules/mail/delivery-state.ts'
import { listOutbox, queueEmail, queueEmails, SECRET_LINK } from '#app/modules/mail/outbox.server.ts'
import { deliverDueMessages } from '#app/modules/mail/worker.server.ts'
import { createInvitation } from '#app/modules/organisations/invitations.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createOrganisationWithAdmin, uniqueEmail } from '#tests/fixtures/users.ts'
import { startSmtpSink } from '#tests/fixtures/smtp.ts'

// The worker takes every message due by the time it is given, across organisations. Each test
// works at its own instant, earlier than every other suite's messages and than the tests before
// it, so on a shared PostgreSQL server it sees only its own (leftovers of earlier tests here are later).
const MINUTE = 60_000

let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined
afterEach(async () => {
	await sink?.stop()
	sink = undefined
})

const stateOf = (id: string) =>
	prisma.outboxMessage.findUniqueOrThrow({
		where: { id },
		select: { attempts: true, nextAttemptAt: true, deliveredAt: true, failedAt: true, deliveryError: true, secretLink: true, text: true },
	})

const accountEmail = (to: string, text = 'Hello') => ({ kind: 'ACCOUNT' as const, to, subject: 'About your account', text })

describe('the outbox worker', () => {
	test('retries a refused message after 1, 2, 4 and 8 minutes, then marks it failed for good', async () => {
		sink = await startSmtpSink({ refuse: () => true })
		const start = new Date('2018-06-01T08:00:00.000Z')
		const { id } = await queueEmail(prisma, accountEmail(uniqueEmail('refused')), start)

		let at = start
		for (const delayMinutes of [1, 2, 4, 8]) {
			expect(await deliverDueMessages(at)).toMatchObject({ retrying: 1, failed: 0 })
			const state = await stateOf(id)
			expect(state.nextAttemptAt).toEqual(new Date(at.getTime() + delayMinutes * MINUTE))
			expect(state.deliveryError).toMatch(/Mailbox unavailable/)
			// Not due again before its time.
			expect(await deliverDueMessages(new Date(at.getTime() + delayMinutes * MINUTE - 1000))).toMatchObject({ retrying: 0, failed: 0 })
			at = state.nextAttemptAt!
		}
		expect(await deliverDueMessages(at)).toMatchObject({ failed: 1 })
		expect(await stateOf(id)).toMatchObject({ attempts: MAX_DELIVERY_ATTEMPTS, nextAttemptAt: null, failedAt: at, deliveredAt: null })
		expect(await deliverDueMessages(new Date(at.getTime() + 60 * MINUTE))).toMatchObject({ retrying: 0, failed: 0 })
		expect(sink.received).toEqual([])
	})

	test('two workers at once deliver each of 40 messages exactly once', async () => {
		sink = await startSmtpSink()
		const at = new Date('2017-06-01T08:00:00.000Z')
		const recipients = Array.from({ length: 40 }, () => uniqueEmail('once'))
		await queueEmails(
			prisma,
			recipients.map((to) => accountEmail(to)),
			at,
		)
		const passes = await Promise.all([deliverDueMessages(at), deliverDueMessages(at)])
		expect(passes[0].delivered + passes[1].delivered).toBe(40)
		expect(sink.received.flatMap((mail) => mail.to).sort()).toEqual([...recipients].sort())
		expect(await prisma.outboxMessage.count({ where: { to: { in: recipients }, deliveredAt: null } })).toBe(0)
	})

	test('a message a stopped worker had claimed is taken over once its lease runs out', async () => {
		sink = await startSmtpSink()
		const at = new Date('2016-06-01T08:00:00.000Z')
		const to = uniqueEmail('abandoned')
		const { id } = await queueEmail(prisma, accountEmail(to), at)
		// A worker claimed it and stopped before sending.
		await prisma.outboxMessage.update({ where: { id }, data: { attempts: 1, claimedUntil: new Date(at.getTime() + 5 * MINUTE) }, select: { id: true } })
		expect(await deliverDueMessages(new Date(at.getTime() + MINUTE))).toMatchObject({ delivered: 0 })
		expect(await deliverDueMessages(new Date(at.getTime() + 5 * MINUTE))).toMatchObject({ delivered: 1 })
		expect(sink.received.map((mail) => mail.to)).toEqual([[to]])
	})

	test('a secret link is stored encrypted, put into the email when sent, and wiped after', async () => {
		sink = await startSmtpSink()
		const at = new Date('2015-06-01T08:00:00.000Z')
		const url = 'https://training.example.test/reset/secret-token-123'
		const { id } = await queueEmail(prisma, { ...accountEmail(uniqueEmail('link'), `Reset it: ${SECRET_LINK}`), secretLink: { url, expiresAt: new Date(at.getTime() + 60 * MINUTE) } }, at)
		const stored = await stateOf(id)
		expect(stored.text).toBe(`Reset it: ${SECRET_LINK}`)
		expect(stored.secretLink).toBeTruthy()
		expect(stored.secretLink).not.toContain('secret-token-123')

		expect(await deliverDueMessages(at)).toMatchObject({ delivered: 1 })
		expect(sink.received[0]?.body).toContain(url)
		expect(await stateOf(id)).toMatchObject({ secretLink: null, text: `Reset it: ${SECRET_LINK}` })
	})

	test('a message whose link expired before it could be sent is discarded and its link wiped, also without SMTP', async () => {
		const at = new Date('2014-06-01T08:00:00.000Z')
		const { id } = await queueEmail(
			prisma,
			{ ...accountEmail(uniqueEmail('late'), `Reset it: ${SECRET_LINK}`), secretLink: { url: 'https://t.example/r/x', expiresAt: new Date(at.getTime() + 60 * MINUTE) } },
			at,
		)
		expect(await deliverDueMessages(new Date(at.getTime() + 30 * MINUTE))).toMatchObject({ discarded: 0 })
		expect(await deliverDueMessages(new Date(at.getTime() + 61 * MINUTE))).toMatchObject({ discarded: 1 })
		expect(await stateOf(id)).toMatchObject({ secretLink: null, nextAttemptAt: null, attempts: 0, deliveredAt: null })
	})
})

describe('invitations go through the outbox', () => {
	test('an invitation is queued with the request, its link kept out of the outbox page', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'invite-outbox' })
		const email = uniqueEmail('invited')
		const { link } = await createInvitation({ organisationId: organisation.id, actorId: admin.id, email, role: 'LEARNER', departmentId: null, origin: 'https://t.example' })
		const token = link.split('/').pop()!
		const [message] = (await listOutbox(organisation.id, 1, false)).messages
		expect(message).toMatchObject({ kind: 'INVITATION', to: email, state: 'waiting' })
		expect(message?.text).toContain('Accept the invitation: [the link, sent only to the recipient]')
		const row = await prisma.outboxMessage.findFirstOrThrow({ where: { organisationId: organisation.id }, select: { text: true, secretLink: true } })
		expect(`${row.text}${row.secretLink}`).not.toContain(token)
	})
})
