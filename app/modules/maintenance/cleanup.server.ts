import { LONGEST_WINDOW_MS } from '#app/modules/rate-limit/rate-limit.ts'
import { prisma } from '#app/utils/db.server.ts'

/**
 * Deletes rows that can no longer mean anything: expired sessions, rate-limit windows that have
 * closed (under the longest policy, so an hour-long window is not cut short), and emailed account
 * links that were used or have expired. Invitations stay (the audit trail refers to them); an expired one is refused anyway.
 */
export async function deleteExpiredRecords(now = new Date()) {
	const [sessions, rateLimitBuckets, accountTokens] = await Promise.all([
		prisma.session.deleteMany({ where: { expiresAt: { lte: now } } }),
		prisma.rateLimitBucket.deleteMany({ where: { windowStart: { lte: new Date(now.getTime() - LONGEST_WINDOW_MS) } } }),
		prisma.accountToken.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { usedAt: { not: null } }] } }),
	])
	return { sessions: sessions.count, rateLimitBuckets: rateLimitBuckets.count, accountTokens: accountTokens.count }
}

export const CLEANUP_INTERVAL_MS = 60 * 60 * 1000
