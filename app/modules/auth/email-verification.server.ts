import type { Prisma } from '#app/generated/prisma/client.ts'
import { queueEmail } from '#app/modules/mail/outbox.server.ts'
import { ACCOUNT_EMAIL_POLICY, rateLimited } from '#app/modules/rate-limit/rate-limit.ts'
import { takeAttempt } from '#app/modules/rate-limit/rate-limit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { isEmailConfigured } from '#app/utils/email.server.ts'
import { verificationEmail } from './account-emails.server.ts'
import { claimAccountToken, issueAccountToken, verifyEmailUrl } from './account-tokens.server.ts'

type Db = Prisma.TransactionClient | typeof prisma

/** Records that the user proved they read their address, unless they had already. */
export async function markEmailVerified(db: Db, userId: string, at = new Date()) {
	await db.user.updateMany({ where: { id: userId, emailVerifiedAt: null }, data: { emailVerifiedAt: at } })
}

/** Queues a confirmation link to the user (replacing any earlier one), in the caller's transaction. */
export async function queueVerificationLink(db: Db, user: { id: string; email: string; name: string }, origin: string, now = new Date()) {
	const { token, expiresAt } = await issueAccountToken(db, user.id, 'VERIFY', now)
	await queueEmail(db, verificationEmail({ to: user.email, name: user.name, link: verifyEmailUrl(origin, token), expiresAt }), now)
}

/** The banner's "Send a new link": a few an hour per account, as each one is an email. */
export async function resendVerificationLink({ userId, origin }: { userId: string; origin: string }) {
	if (!isEmailConfigured()) return { status: 'email-off' as const }
	const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, name: true, emailVerifiedAt: true } })
	if (user.emailVerifiedAt) return { status: 'verified' as const }
	const wait = await takeAttempt([`verify-resend:user:${userId}`], ACCOUNT_EMAIL_POLICY)
	if (wait > 0) return rateLimited(wait, 'confirmation links asked for')
	await prisma.$transaction((tx) => queueVerificationLink(tx, user, origin))
	return { status: 'sent' as const, email: user.email }
}

/**
 * Uses the emailed link up and marks the address verified. It does not sign anyone in: the person
 * holding the mailbox may not be the one who chose the password (docs/decisions/028).
 */
export async function confirmEmail(token: string) {
	return prisma.$transaction(async (tx) => {
		const userId = await claimAccountToken(tx, token, 'VERIFY')
		if (!userId) return { status: 'invalid' as const }
		await markEmailVerified(tx, userId)
		return { status: 'confirmed' as const, userId }
	})
}

/** With email set up, only a verified address may create an organisation; without it nobody could verify. */
export function mayCreateOrganisation(user: { emailVerified: boolean }) {
	return user.emailVerified || !isEmailConfigured()
}
