import { describe, expect, test } from 'vitest'
import {
	describeWait,
	isWindowOpen,
	LOGIN_ADDRESS_CEILING,
	LOGIN_FAILURE_POLICY,
	loginWait,
	retryAfterSeconds,
	type RateLimitPolicy,
} from './rate-limit.ts'

const policy: RateLimitPolicy = { limit: 5, windowMs: 10 * 60 * 1000 }
const windowStart = new Date('2026-03-10T12:00:00.000Z')
const after = (ms: number) => new Date(windowStart.getTime() + ms)

describe('retryAfterSeconds', () => {
	test('is 0 without a bucket', () => {
		expect(retryAfterSeconds(null, windowStart, policy)).toBe(0)
	})

	test('is 0 one failure below the limit', () => {
		expect(retryAfterSeconds({ count: policy.limit - 1, windowStart }, after(1000), policy)).toBe(0)
	})

	test('at the limit, is the time left in the window', () => {
		const bucket = { count: policy.limit, windowStart }
		expect(retryAfterSeconds(bucket, windowStart, policy)).toBe(600)
		expect(retryAfterSeconds(bucket, after(60_000), policy)).toBe(540)
		// Partial seconds round up so a client never retries too early.
		expect(retryAfterSeconds(bucket, after(60_500), policy)).toBe(540)
		expect(retryAfterSeconds(bucket, after(61_000), policy)).toBe(539)
	})

	test('above the limit, still waits for the window', () => {
		expect(retryAfterSeconds({ count: policy.limit + 7, windowStart }, after(0), policy)).toBe(600)
	})

	test('at least 1 second while the window is open', () => {
		expect(retryAfterSeconds({ count: policy.limit, windowStart }, after(policy.windowMs - 1), policy)).toBe(1)
	})

	test('is 0 from the exact end of the window on', () => {
		const bucket = { count: policy.limit, windowStart }
		expect(isWindowOpen(bucket, after(policy.windowMs - 1), policy)).toBe(true)
		expect(isWindowOpen(bucket, after(policy.windowMs), policy)).toBe(false)
		expect(retryAfterSeconds(bucket, after(policy.windowMs), policy)).toBe(0)
	})

	test('is 0 once the window has passed', () => {
		expect(retryAfterSeconds({ count: 100, windowStart }, after(policy.windowMs + 60_000), policy)).toBe(0)
	})

	test('the login policy allows 10 failures per 15 minutes', () => {
		expect(LOGIN_FAILURE_POLICY).toEqual({ limit: 10, windowMs: 15 * 60 * 1000 })
		expect(retryAfterSeconds({ count: 9, windowStart }, windowStart, LOGIN_FAILURE_POLICY)).toBe(0)
		expect(retryAfterSeconds({ count: 10, windowStart }, windowStart, LOGIN_FAILURE_POLICY)).toBe(900)
	})
})

describe('loginWait', () => {
	const failures = (count: number) => ({ count, windowStart })
	const FULL_WINDOW = LOGIN_FAILURE_POLICY.windowMs / 1000

	test('goes ahead below both limits', () => {
		expect(loginWait({ account: null, address: null }, windowStart)).toBe(0)
		expect(loginWait({ account: failures(9), address: failures(9) }, windowStart)).toBe(0)
	})

	test("the account's limit is strict, whatever the address", () => {
		expect(loginWait({ account: failures(10), address: null }, windowStart)).toBe(FULL_WINDOW)
	})

	test('past the address limit, an account without failures goes ahead; one with a failure waits', () => {
		expect(loginWait({ account: null, address: failures(10) }, windowStart)).toBe(0)
		expect(loginWait({ account: failures(0), address: failures(99) }, windowStart)).toBe(0)
		expect(loginWait({ account: failures(1), address: failures(10) }, windowStart)).toBe(FULL_WINDOW)
	})

	test("an account's failures from a closed window do not count against it", () => {
		const old = { count: 3, windowStart: new Date(windowStart.getTime() - LOGIN_FAILURE_POLICY.windowMs) }
		expect(loginWait({ account: old, address: failures(10) }, windowStart)).toBe(0)
	})

	test('at the ceiling, the address waits for every account', () => {
		expect(LOGIN_ADDRESS_CEILING).toEqual({ limit: 100, windowMs: LOGIN_FAILURE_POLICY.windowMs })
		expect(loginWait({ account: null, address: failures(100) }, windowStart)).toBe(FULL_WINDOW)
	})
})

describe('describeWait', () => {
	test.each([
		[1, 'a minute'],
		[59, 'a minute'],
		[60, 'a minute'],
		[61, '2 minutes'],
		[120, '2 minutes'],
		[121, '3 minutes'],
		[900, '15 minutes'],
	])('%i seconds reads as %j', (seconds, wording) => {
		expect(describeWait(seconds)).toBe(wording)
	})
})
