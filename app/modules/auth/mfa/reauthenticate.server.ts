import { describeWait, LOGIN_FAILURE_POLICY } from '#app/modules/rate-limit/rate-limit.ts'
import { resetRateLimit, takeAttempt } from '#app/modules/rate-limit/rate-limit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { verifyPassword } from '../password.server.ts'
import { MFA_MESSAGES } from './messages.ts'

/**
 * Asks for the current password before a factor is removed or the recovery codes replaced, so a
 * browser left signed in is not enough to weaken the account. Wrong passwords share the budget of
 * the password-change form (the same key), so neither gives a stolen session more guesses.
 */
export async function confirmCurrentPassword(userId: string, password: string) {
	const key = `password-change:${userId}`
	const wait = await takeAttempt([key], LOGIN_FAILURE_POLICY)
	if (wait > 0) {
		return {
			status: 'rate-limited' as const,
			retryAfterSeconds: wait,
			message: MFA_MESSAGES.tooManyWrongPasswords(describeWait(wait)),
		}
	}
	const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } })
	if (!(await verifyPassword(user.passwordHash, password))) return { status: 'invalid' as const }
	await resetRateLimit(key)
	return { status: 'ok' as const }
}
