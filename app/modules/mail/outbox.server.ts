import { randomBytes } from 'node:crypto'
import type { Prisma } from '#app/generated/prisma/client.ts'
import type { OutboxKind } from '#app/generated/prisma/enums.ts'
import { prisma } from '#app/utils/db.server.ts'
import { encryptSecret } from '#app/utils/encryption.server.ts'
import { deliveryState } from './delivery-state.ts'

// Every email Bulwark writes is a row of "OutboxMessage" first; the worker (worker.server.ts)
// delivers it, never the request that wrote it (docs/decisions/023-outbox-worker.md). An
// organisation without mail loses nothing: its messages wait here.

type Db = Prisma.TransactionClient | typeof prisma

/** Where a secret-bearing link goes in a message's text; the worker puts the link in when it sends. */
export const SECRET_LINK = '{{link}}'
/** The purpose a secret link is encrypted for (decision 022). */
export const SECRET_LINK_PURPOSE = 'outbox-link'

const DAY_MS = 24 * 60 * 60 * 1000
/** A reminder or digest is news for a day; after that it is discarded rather than sent late. */
const NEWS_LIFETIME_MS = DAY_MS
/** Outbox rows per INSERT: keeps each statement's parameters small in a large organisation. */
const MESSAGES_PER_STATEMENT = 1000

export type QueuedEmail = {
	kind: OutboxKind
	to: string
	subject: string
	/** Plain text; where the message carries `secretLink`, SECRET_LINK marks its place. */
	text: string
	/** Null for a message about the recipient's own account: no organisation's admins see it. */
	organisationId?: string | null
	membershipId?: string | null
	createdById?: string | null
	/** A link holding a token (reset, verification, invitation): stored encrypted, never shown, wiped once done. */
	secretLink?: { url: string; expiresAt: Date }
}

const utcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))

/** The message as its row: a link expires with its token, everything else is news for a day. */
function toRow(email: QueuedEmail, at: Date) {
	if (email.secretLink && !email.text.includes(SECRET_LINK)) throw new Error(`A message with a secret link needs ${SECRET_LINK} in its text`)
	return {
		id: randomBytes(12).toString('hex'),
		organisationId: email.organisationId ?? null,
		membershipId: email.membershipId ?? null,
		createdById: email.createdById ?? null,
		kind: email.kind,
		to: email.to,
		subject: email.subject,
		text: email.text,
		secretLink: email.secretLink ? encryptSecret(email.secretLink.url, SECRET_LINK_PURPOSE) : null,
		discardAfter: email.secretLink?.expiresAt ?? new Date(at.getTime() + NEWS_LIFETIME_MS),
	}
}

/** Writes one message, in the caller's transaction when `db` is one; the worker sends it after commit. */
export async function queueEmail(db: Db, email: QueuedEmail, at = new Date()) {
	const [written] = await queueEmails(db, [email], at)
	return { id: written!.id }
}

/**
 * Writes many messages, a statement per thousand. Reminders and digests (which have a member) go
 * once per member, kind and UTC day: the unique index skips a member who has one for the day
 * already, also when two managers click at once. Returns the ids of the messages written, in order.
 */
export async function queueEmails(db: Db, emails: QueuedEmail[], at = new Date()) {
	const rows = emails.map((email) => toRow(email, at))
	const written = new Set<string>()
	for (let start = 0; start < rows.length; start += MESSAGES_PER_STATEMENT) {
		const batch = rows.slice(start, start + MESSAGES_PER_STATEMENT)
		const column = <Key extends keyof (typeof batch)[number]>(key: Key) => batch.map((row) => row[key])
		const inserted = await db.$queryRaw<{ id: string }[]>`
			INSERT INTO "OutboxMessage" ("id", "organisationId", "membershipId", "createdById", "kind", "to", "subject", "text", "secretLink", "discardAfter", "sentOn", "createdAt", "nextAttemptAt")
			SELECT m."id", m."organisationId", m."membershipId", m."createdById", CAST(m."kind" AS "OutboxKind"), m."to", m."subject", m."text", m."secretLink", m."discardAfter",
				${utcDay(at)}::date, ${at}::timestamp(3), ${at}::timestamp(3)
			FROM unnest(
				${column('id')}::text[], ${column('organisationId')}::text[], ${column('membershipId')}::text[], ${column('createdById')}::text[], ${column('kind')}::text[],
				${column('to')}::text[], ${column('subject')}::text[], ${column('text')}::text[], ${column('secretLink')}::text[], ${column('discardAfter')}::timestamp(3)[]
			) AS m("id", "organisationId", "membershipId", "createdById", "kind", "to", "subject", "text", "secretLink", "discardAfter")
			ON CONFLICT ("membershipId", "kind", "sentOn") DO NOTHING
			RETURNING "id"`
		for (const row of inserted) written.add(row.id)
	}
	return rows.filter((row) => written.has(row.id)).map((row) => ({ id: row.id, membershipId: row.membershipId }))
}

export const OUTBOX_PAGE_SIZE = 50
/** What the outbox page shows where a message's secret link goes: the link reaches its recipient only. */
const HIDDEN_LINK = '[the link, sent only to the recipient]'

/** The organisation's outbox, newest first, with the member where the membership still exists. */
export async function listOutbox(organisationId: string, page: number, emailConfigured: boolean) {
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
				createdAt: true,
				deliveredAt: true,
				deliveryError: true,
				failedAt: true,
				attempts: true,
				nextAttemptAt: true,
				membership: { select: { user: { select: { name: true, email: true } } } },
			},
		}),
		prisma.outboxMessage.count({ where: { organisationId } }),
	])
	return {
		messages: messages.map(({ membership, text, deliveredAt, failedAt, attempts, ...message }) => ({
			...message,
			text: text.replaceAll(SECRET_LINK, HIDDEN_LINK),
			deliveredAt,
			state: deliveryState({ deliveredAt, failedAt, attempts }, emailConfigured),
			member: membership?.user ?? null,
		})),
		total,
		pageCount: Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE)),
	}
}
