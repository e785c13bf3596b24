import { prisma } from '#app/utils/db.server.ts'
import { retryAfterSeconds, type RateLimitBucketState, type RateLimitPolicy } from './rate-limit.ts'

/**
 * The counters live in the database so that every app instance sees the same limits.
 * Returns the longest wait among the keys, in seconds (0 when none is limited).
 */
export async function getRetryAfter(keys: string[], policy: RateLimitPolicy, now = new Date()) {
	const buckets = await prisma.rateLimitBucket.findMany({
		where: { key: { in: keys } },
		select: { count: true, windowStart: true },
	})
	return Math.max(0, ...buckets.map((bucket) => retryAfterSeconds(bucket, now, policy)))
}

/** Counts one failure against each key in one atomic statement per key (safe under concurrency). */
export async function recordFailure(keys: string[], policy: RateLimitPolicy, now = new Date()) {
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

export async function resetRateLimit(key: string) {
	await prisma.rateLimitBucket.deleteMany({ where: { key } })
}

export const loginRateLimitKeys = (email: string, ip: string) => [`login:account:${email}`, `login:ip:${ip}`]
