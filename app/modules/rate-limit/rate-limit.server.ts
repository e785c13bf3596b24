import { prisma } from '#app/utils/db.server.ts'
import { beforeThisAttempt, retryAfterSeconds, type RateLimitBucketState, type RateLimitPolicy } from './rate-limit.ts'

/**
 * The counters live in the database so that every app instance sees the same limits.
 * Counts one attempt against each key, in one atomic statement per key (safe under concurrency),
 * and returns the buckets as they are after it.
 */
export async function recordAttempt(keys: string[], policy: RateLimitPolicy, now = new Date()) {
	const windowOpenedAfter = new Date(now.getTime() - policy.windowMs)
	const states: RateLimitBucketState[] = []
	for (const key of keys) {
		const [state] = await prisma.$queryRaw<RateLimitBucketState[]>`
			INSERT INTO "RateLimitBucket" ("key", "count", "windowStart") VALUES (${key}, 1, ${now})
			ON CONFLICT ("key") DO UPDATE SET
				"count" = CASE WHEN "RateLimitBucket"."windowStart" <= ${windowOpenedAfter} THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
				"windowStart" = CASE WHEN "RateLimitBucket"."windowStart" <= ${windowOpenedAfter} THEN ${now} ELSE "RateLimitBucket"."windowStart" END
			RETURNING "count", "windowStart"`
		if (state) states.push(state)
	}
	return states
}

/**
 * Counts this attempt before it is checked, so a burst of parallel attempts cannot all pass a
 * check that has not seen the others yet. Returns the seconds to wait when this attempt is over
 * the limit of any key, else 0 (go ahead).
 */
export async function takeAttempt(keys: string[], policy: RateLimitPolicy, now = new Date()) {
	const states = await recordAttempt(keys, policy, now)
	// The attempts before this one decide whether it may go ahead.
	const waits = states.map((state) => retryAfterSeconds(beforeThisAttempt(state), now, policy))
	return Math.max(0, ...waits)
}

/** Gives an attempt back when it turned out well (a right password), so only failures add up. */
export async function refundAttempt(key: string) {
	await prisma.rateLimitBucket.updateMany({ where: { key, count: { gt: 0 } }, data: { count: { decrement: 1 } } })
}

export async function resetRateLimit(key: string) {
	await prisma.rateLimitBucket.deleteMany({ where: { key } })
}

export const loginRateLimitKeys = (email: string, ip: string) => ({ accountKey: `login:account:${email}`, ipKey: `login:ip:${ip}` })
