import { LOGIN_FAILURE_POLICY } from '#app/modules/rate-limit/rate-limit.ts'
import { prisma } from '#app/utils/db.server.ts'

/**
 * Deletes rows that can no longer mean anything: expired sessions, log-ins left at the second
 * factor and rate-limit windows that have closed. Invitations stay (the audit trail refers to them); an expired one is refused anyway.
 */
export async function deleteExpiredRecords(now = new Date()) {
	const [sessions, rateLimitBuckets, loginChallenges] = await Promise.all([
		prisma.session.deleteMany({ where: { expiresAt: { lte: now } } }),
		prisma.rateLimitBucket.deleteMany({
			where: { windowStart: { lte: new Date(now.getTime() - LOGIN_FAILURE_POLICY.windowMs) } },
		}),
		prisma.loginChallenge.deleteMany({ where: { expiresAt: { lte: now } } }),
	])
	return { sessions: sessions.count, rateLimitBuckets: rateLimitBuckets.count, loginChallenges: loginChallenges.count }
}

export const CLEANUP_INTERVAL_MS = 60 * 60 * 1000
