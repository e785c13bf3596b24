import type { Prisma } from '#app/generated/prisma/client.ts'
import type { AccountTokenPurpose } from '#app/generated/prisma/enums.ts'
import { prisma } from '#app/utils/db.server.ts'
import { accountTokenExpiry, accountTokenState } from './account-tokens.ts'
import { generateToken, hashToken } from './session-token.server.ts'

type Db = Prisma.TransactionClient | typeof prisma

export const resetPasswordUrl = (origin: string, token: string) => `${origin}/reset-password/${token}`
export const verifyEmailUrl = (origin: string, token: string) => `${origin}/verify-email/${token}`

/**
 * A new single-use token for the user; only its hash is stored. It replaces the user's open
 * tokens of the same purpose, so only the newest emailed link works.
 */
export async function issueAccountToken(db: Db, userId: string, purpose: AccountTokenPurpose, now = new Date()) {
	const token = generateToken()
	const expiresAt = accountTokenExpiry(purpose, now)
	await db.accountToken.deleteMany({ where: { userId, purpose, usedAt: null } })
	await db.accountToken.create({ data: { userId, purpose, tokenHash: hashToken(token), expiresAt, createdAt: now }, select: { id: true } })
	return { token, expiresAt }
}

/** Who an open token belongs to, read only (a mail scanner fetching the link changes nothing); null when it is not open. */
export async function findOpenAccountToken(token: string, purpose: AccountTokenPurpose, now = new Date()) {
	const found = await prisma.accountToken.findUnique({
		where: { tokenHash: hashToken(token) },
		select: { purpose: true, expiresAt: true, usedAt: true, user: { select: { id: true, email: true, name: true } } },
	})
	if (!found || found.purpose !== purpose || accountTokenState(found, now) !== 'open') return null
	return found.user
}

/**
 * Uses the token up with one conditional update, so two tabs posting the same link cannot both
 * succeed. Returns the user's id, or null when the token is unknown, used or expired.
 */
export async function claimAccountToken(tx: Prisma.TransactionClient, token: string, purpose: AccountTokenPurpose, now = new Date()) {
	const tokenHash = hashToken(token)
	const claimed = await tx.accountToken.updateMany({ where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } })
	if (claimed.count !== 1) return null
	const { userId } = await tx.accountToken.findUniqueOrThrow({ where: { tokenHash }, select: { userId: true } })
	return userId
}
