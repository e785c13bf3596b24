import type { Prisma } from '#app/generated/prisma/client.ts'
import { queueEmail } from '#app/modules/mail/outbox.server.ts'
import { ACCOUNT_EMAIL_POLICY, rateLimited, RESET_REQUEST_POLICY } from '#app/modules/rate-limit/rate-limit.ts'
import { loginRateLimitKeys, resetRateLimit, takeAttempt } from '#app/modules/rate-limit/rate-limit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { isEmailConfigured } from '#app/utils/email.server.ts'
import { passwordChangedEmail, passwordResetEmail } from './account-emails.server.ts'
import { claimAccountToken, issueAccountToken, resetPasswordUrl } from './account-tokens.server.ts'
import { markEmailVerified } from './email-verification.server.ts'
import { hashPassword } from './password.server.ts'

// Password reset (docs/decisions/028-password-reset-and-email-verification.md): a single-use link,
// valid for an hour, only its hash stored; the same answer whether or not the address has an account.

/**
 * "Forgot password?": emails a reset link when the address has an account. The limits count every
 * request, known address or not, so neither the answer nor a refusal tells the two apart.
 */
export async function requestPasswordReset({ email, ip, origin, at = new Date() }: { email: string; ip: string; origin: string; at?: Date }) {
	if (!isEmailConfigured()) return { status: 'email-off' as const }
	const waits = await Promise.all([
		takeAttempt([`password-reset:ip:${ip}`], RESET_REQUEST_POLICY, at),
		takeAttempt([`password-reset:address:${email}`], ACCOUNT_EMAIL_POLICY, at),
	])
	const wait = Math.max(...waits)
	if (wait > 0) return rateLimited(wait, 'requests for a reset link')
	const user = await prisma.user.findUnique({ where: { email }, select: { id: true } })
	if (user) {
		await prisma.$transaction(async (tx) => {
			const { token, expiresAt } = await issueAccountToken(tx, user.id, 'RESET', at)
			await queueEmail(tx, passwordResetEmail({ to: email, link: resetPasswordUrl(origin, token), expiresAt }), at)
		})
	}
	return { status: 'requested' as const }
}

/** The operator's reset link (scripts/reset-link.ts), for a server without email; null for an unknown address. */
export async function createPasswordResetLink(email: string, origin: string) {
	const user = await prisma.user.findUnique({ where: { email }, select: { id: true } })
	if (!user) return null
	const { token, expiresAt } = await issueAccountToken(prisma, user.id, 'RESET')
	return { link: resetPasswordUrl(origin, token), expiresAt }
}

/**
 * Sets the new password through the link, once: the token is used up, every session of the user
 * ends (the change-invalidated session cache hears of it on commit), the address counts as
 * verified (they read the email) and the owner is told by email. The new password was checked
 * against the policy by the caller.
 */
export async function resetPassword({ token, password, origin }: { token: string; password: string; origin: string }) {
	const passwordHash = await hashPassword(password)
	const reset = await prisma.$transaction(async (tx) => {
		const userId = await claimAccountToken(tx, token, 'RESET')
		if (!userId) return null
		const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { emailVerifiedAt: true } })
		const user = await tx.user.update({ where: { id: userId }, data: { passwordHash }, select: { email: true } })
		await markEmailVerified(tx, userId)
		await tx.session.deleteMany({ where: { userId } })
		await tx.loginChallenge.deleteMany({ where: { userId } })
		// An address never confirmed may have been signed up by someone else, who could have added
		// factors and links of their own: the owner's first proof of the address starts it afresh.
		if (!before.emailVerifiedAt) await forgetUnconfirmedOwnersWaysIn(tx, userId)
		await queueEmail(tx, passwordChangedEmail({ to: user.email, origin }))
		return user
	})
	if (!reset) return { status: 'invalid' as const }
	// Failed log-ins before the reset no longer stand between the owner and the new password.
	await resetRateLimit(loginRateLimitKeys(reset.email, '').accountKey)
	return { status: 'ok' as const }
}

/** Every way in besides the password: second factors, passkeys, single sign-on links, pending log-ins. */
async function forgetUnconfirmedOwnersWaysIn(tx: Prisma.TransactionClient, userId: string) {
	await tx.totpCredential.deleteMany({ where: { userId } })
	await tx.recoveryCode.deleteMany({ where: { userId } })
	await tx.passkey.deleteMany({ where: { userId } })
	await tx.passkeyRegistration.deleteMany({ where: { userId } })
	await tx.ssoIdentity.deleteMany({ where: { userId } })
}
