import { Prisma } from '#app/generated/prisma/client.ts'
import { describeError, isDatabaseUnavailable } from '#app/modules/db/availability.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { decryptSecret } from '#app/utils/encryption.server.ts'
import { isEmailConfigured, sendEmail } from '#app/utils/email.server.ts'
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from './delivery-state.ts'
import { SECRET_LINK, SECRET_LINK_PURPOSE } from './outbox.server.ts'

// The outbox worker (docs/decisions/023-outbox-worker.md). Any number of app processes may run it
// on one PostgreSQL: a message is claimed with FOR UPDATE SKIP LOCKED and a lease, so each is
// sent by one worker; a worker that dies mid-send leaves the lease to run out and another takes
// the message over. The embedded database has one process, which runs it the same way.

/** Messages one pass claims; the rest wait for the next pass. */
const MESSAGES_PER_PASS = 50
/** SMTP connections open at once. */
const DELIVERIES_AT_ONCE = 4
/** Longer than any SMTP exchange may take (the transport's timeouts are shorter). */
const LEASE_MS = 5 * 60 * 1000
const DELIVERY_ERROR_LENGTH = 300

type Claimed = { id: string; to: string; subject: string; text: string; secretLink: string | null; attempts: number }

export type DeliveryPass = { delivered: number; retrying: number; failed: number; discarded: number }

/** Messages past their `discardAfter` are not sent: marked so, and their link wiped. Also without SMTP. */
async function discardOutdated(at: Date) {
	return prisma.outboxMessage.updateMany({
		where: { nextAttemptAt: { not: null }, discardAfter: { lte: at }, OR: [{ claimedUntil: null }, { claimedUntil: { lte: at } }] },
		data: { nextAttemptAt: null, claimedUntil: null, secretLink: null, failedAt: at, deliveryError: 'Discarded unsent: out of date (an expired link, or news older than a day).' },
	})
}

function claimDueMessages(at: Date) {
	return prisma.$queryRaw<Claimed[]>`
		UPDATE "OutboxMessage" m SET "claimedUntil" = ${new Date(at.getTime() + LEASE_MS)}::timestamp(3), "attempts" = m."attempts" + 1
		FROM (
			SELECT "id" FROM "OutboxMessage"
			WHERE "nextAttemptAt" <= ${at}::timestamp(3) AND ("claimedUntil" IS NULL OR "claimedUntil" <= ${at}::timestamp(3))
			ORDER BY "nextAttemptAt"
			LIMIT ${MESSAGES_PER_PASS}
			FOR UPDATE SKIP LOCKED
		) due
		WHERE m."id" = due."id"
		RETURNING m."id", m."to", m."subject", m."text", m."secretLink", m."attempts"`
}

/** The first line of what went wrong, short: the outbox shows it to admins, never a stack. */
function describeDeliveryError(error: unknown) {
	const message = error instanceof Error ? error.message : String(error)
	return (message.split('\n')[0] || 'Delivery failed').slice(0, DELIVERY_ERROR_LENGTH)
}

type Outcome = Prisma.OutboxMessageUpdateManyMutationInput & { state: keyof DeliveryPass }

async function deliverOne(message: Claimed, at: Date): Promise<Outcome> {
	let text = message.text
	if (message.secretLink) {
		const link = decryptSecret(message.secretLink, SECRET_LINK_PURPOSE)
		if (!link) {
			return { state: 'failed', failedAt: at, nextAttemptAt: null, secretLink: null, deliveryError: 'Its link could not be decrypted (was ENCRYPTION_KEY changed?); ask for a new one.' }
		}
		text = text.replaceAll(SECRET_LINK, link)
	}
	try {
		await sendEmail({ to: message.to, subject: message.subject, text })
		return { state: 'delivered', deliveredAt: new Date(), deliveryError: null, nextAttemptAt: null, secretLink: null }
	} catch (error) {
		const deliveryError = describeDeliveryError(error)
		if (message.attempts >= MAX_DELIVERY_ATTEMPTS) return { state: 'failed', failedAt: at, nextAttemptAt: null, secretLink: null, deliveryError }
		return { state: 'retrying', deliveryError, nextAttemptAt: new Date(at.getTime() + retryDelayMs(message.attempts)) }
	}
}

/**
 * One pass: discards what is out of date, then (with SMTP) claims due messages and sends them, a
 * few at a time, recording each outcome as soon as it is known. Failures retry after 1, 2, 4 and 8
 * minutes; the fifth failure is final (the dead-letter state: failedAt set, shown in the outbox).
 */
export async function deliverDueMessages(at = new Date()): Promise<DeliveryPass> {
	const pass: DeliveryPass = { delivered: 0, retrying: 0, failed: 0, discarded: 0 }
	pass.discarded = (await discardOutdated(at)).count
	if (!isEmailConfigured()) return pass
	const claimed = await claimDueMessages(at)
	let next = 0
	const sender = async () => {
		for (let message = claimed[next++]; message; message = claimed[next++]) {
			const { state, ...outcome } = await deliverOne(message, at)
			pass[state]++
			await prisma.outboxMessage.updateMany({ where: { id: message.id }, data: { ...outcome, claimedUntil: null } })
		}
	}
	await Promise.all(Array.from({ length: Math.min(DELIVERIES_AT_ONCE, claimed.length) }, sender))
	return pass
}

/**
 * Runs a pass every `pollMs` until stopped; a pass that finds a full batch runs the next at once.
 * A database outage is logged once per outage, not at every poll.
 */
export function startOutboxWorker({ pollMs }: { pollMs: number }) {
	let timer: NodeJS.Timeout | undefined
	let stopped = false
	let running: Promise<void> = Promise.resolve()
	let failing = false
	const pass = async () => {
		let busy = false
		try {
			const result = await deliverDueMessages()
			busy = result.delivered + result.retrying + result.failed >= MESSAGES_PER_PASS
			failing = false
		} catch (error) {
			if (!failing) console.error(`The outbox worker could not deliver: ${isDatabaseUnavailable(error) ? 'the database is unavailable, ' : ''}${describeError(error)}`)
			failing = true
		}
		if (!stopped) timer = setTimeout(() => (running = pass()), busy ? 0 : pollMs).unref()
	}
	running = pass()
	return {
		/** Stops polling and waits for the pass in progress, so shutdown does not cut a send short. */
		async stop() {
			stopped = true
			clearTimeout(timer)
			await running
		},
	}
}
