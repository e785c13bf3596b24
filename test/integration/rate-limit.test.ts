import { randomBytes } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { recordAttempt, refundAttempt, resetRateLimit, takeAttempt } from '#app/modules/rate-limit/rate-limit.server.ts'
import { retryAfterSeconds, type RateLimitPolicy } from '#app/modules/rate-limit/rate-limit.ts'
import { prisma } from '#app/utils/db.server.ts'

const policy: RateLimitPolicy = { limit: 5, windowMs: 15 * 60 * 1000 }

/** Keys unique to one test, so tests can share a database. */
const uniqueKey = (label: string) => `test:${label}:${randomBytes(8).toString('hex')}`

async function storedCount(key: string) {
	const bucket = await prisma.rateLimitBucket.findUnique({ where: { key } })
	return bucket?.count ?? 0
}

/** The wait the stored buckets impose on the next attempt, read without counting one. */
async function getRetryAfter(keys: string[], policy: RateLimitPolicy, now: Date) {
	const buckets = await prisma.rateLimitBucket.findMany({ where: { key: { in: keys } }, select: { count: true, windowStart: true } })
	return Math.max(0, ...buckets.map((bucket) => retryAfterSeconds(bucket, now, policy)))
}

async function failTimes(key: string, times: number, now: Date) {
	for (let i = 0; i < times; i++) await recordAttempt([key], policy, now)
}

describe('rate limiting on the database', () => {
	test('counts concurrent failures on one key without losing any', async () => {
		const key = uniqueKey('concurrent')
		const now = new Date()

		const results = await Promise.all(Array.from({ length: 10 }, () => recordAttempt([key], policy, now)))

		expect(await storedCount(key)).toBe(10)
		// Each statement saw its own increment: the counts returned are exactly 1 to 10.
		const counts = results.map(([state]) => state?.count).sort((a, b) => (a ?? 0) - (b ?? 0))
		expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
	})

	test('counts each key separately', async () => {
		const account = uniqueKey('account')
		const ip = uniqueKey('ip')
		const now = new Date()

		await recordAttempt([account, ip], policy, now)
		await recordAttempt([account], policy, now)

		expect(await storedCount(account)).toBe(2)
		expect(await storedCount(ip)).toBe(1)
	})

	test('allows attempts below the limit and refuses them at the limit', async () => {
		const key = uniqueKey('limit')
		const now = new Date()
		expect(await getRetryAfter([key], policy, now)).toBe(0)

		await failTimes(key, policy.limit - 1, now)
		expect(await getRetryAfter([key], policy, now)).toBe(0)

		await recordAttempt([key], policy, now)
		expect(await getRetryAfter([key], policy, now)).toBe(policy.windowMs / 1000)
		expect(await getRetryAfter([key], policy, new Date(now.getTime() + 60_000))).toBe(policy.windowMs / 1000 - 60)
	})

	test('the longest wait among the keys wins', async () => {
		const limited = uniqueKey('limited')
		const free = uniqueKey('free')
		const now = new Date()
		await failTimes(limited, policy.limit, now)
		await recordAttempt([free], policy, now)

		expect(await getRetryAfter([free, limited], policy, now)).toBe(policy.windowMs / 1000)
		expect(await getRetryAfter([free], policy, now)).toBe(0)
	})

	test('the count starts over once the window has passed', async () => {
		const key = uniqueKey('window')
		const now = new Date()
		await failTimes(key, policy.limit, now)
		const justInside = new Date(now.getTime() + policy.windowMs - 1000)
		const windowEnd = new Date(now.getTime() + policy.windowMs)
		expect(await getRetryAfter([key], policy, justInside)).toBe(1)
		expect(await getRetryAfter([key], policy, windowEnd)).toBe(0)

		// A failure just inside the window still counts toward it.
		const [inside] = await recordAttempt([key], policy, justInside)
		expect(inside?.count).toBe(policy.limit + 1)

		const [state] = await recordAttempt([key], policy, windowEnd)
		expect(state?.count).toBe(1)
		expect(new Date(state!.windowStart).getTime()).toBe(windowEnd.getTime())
		expect(await storedCount(key)).toBe(1)
		expect(await getRetryAfter([key], policy, windowEnd)).toBe(0)
	})

	test('resetRateLimit clears the key and only that key', async () => {
		const key = uniqueKey('reset')
		const other = uniqueKey('other')
		const now = new Date()
		await failTimes(key, policy.limit, now)
		await failTimes(other, policy.limit, now)

		await resetRateLimit(key)

		expect(await prisma.rateLimitBucket.findUnique({ where: { key } })).toBeNull()
		expect(await getRetryAfter([key], policy, now)).toBe(0)
		const [state] = await recordAttempt([key], policy, now)
		expect(state?.count).toBe(1)
		expect(await getRetryAfter([other], policy, now)).toBeGreaterThan(0)
	})

	test('takeAttempt counts before it answers: of 8 parallel attempts at a limit of 5, exactly 5 go ahead', async () => {
		const key = uniqueKey('burst')
		const now = new Date()
		const waits = await Promise.all(Array.from({ length: 8 }, () => takeAttempt([key], policy, now)))
		expect(waits.filter((wait) => wait === 0)).toHaveLength(5)
		expect(waits.filter((wait) => wait > 0)).toHaveLength(3)
		expect(await storedCount(key)).toBe(8)
	})

	test('refundAttempt gives one attempt back and never goes below zero', async () => {
		const key = uniqueKey('refund')
		const now = new Date()
		await failTimes(key, 2, now)
		await refundAttempt(key)
		expect(await storedCount(key)).toBe(1)
		await refundAttempt(key)
		await refundAttempt(key)
		expect(await storedCount(key)).toBe(0)
	})
})
