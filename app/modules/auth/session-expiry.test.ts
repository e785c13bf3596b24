import { describe, expect, test } from 'vitest'
import { isSessionExpired, newSessionExpiry, SESSION_LIFETIME_MS, shouldExtendSession } from './session-expiry.ts'

const DAY_MS = 24 * 60 * 60 * 1000
const now = new Date('2026-03-10T12:00:00.000Z')
const after = (ms: number) => new Date(now.getTime() + ms)

describe('newSessionExpiry', () => {
	test('is 30 days from now', () => {
		expect(SESSION_LIFETIME_MS).toBe(30 * DAY_MS)
		expect(newSessionExpiry(now)).toEqual(new Date('2026-04-09T12:00:00.000Z'))
	})

	test('does not change the date it was given', () => {
		const given = new Date(now)
		newSessionExpiry(given)
		expect(given).toEqual(now)
	})
})

describe('isSessionExpired', () => {
	test('is false until the expiry instant and true from it on', () => {
		const expiresAt = after(DAY_MS)
		expect(isSessionExpired(expiresAt, now)).toBe(false)
		expect(isSessionExpired(expiresAt, new Date(expiresAt.getTime() - 1))).toBe(false)
		expect(isSessionExpired(expiresAt, expiresAt)).toBe(true)
		expect(isSessionExpired(expiresAt, new Date(expiresAt.getTime() + 1))).toBe(true)
	})

	test('a new session is not expired', () => {
		expect(isSessionExpired(newSessionExpiry(now), now)).toBe(false)
	})
})

describe('shouldExtendSession', () => {
	test('is false for a fresh session', () => {
		expect(shouldExtendSession(newSessionExpiry(now), now)).toBe(false)
	})

	test('is false while more than 15 days are left', () => {
		expect(shouldExtendSession(after(15 * DAY_MS + 1), now)).toBe(false)
		expect(shouldExtendSession(after(20 * DAY_MS), now)).toBe(false)
	})

	test('is false with exactly 15 days left', () => {
		expect(shouldExtendSession(after(15 * DAY_MS), now)).toBe(false)
	})

	test('is true once less than 15 days are left', () => {
		expect(shouldExtendSession(after(15 * DAY_MS - 1), now)).toBe(true)
		expect(shouldExtendSession(after(DAY_MS), now)).toBe(true)
		expect(shouldExtendSession(after(1), now)).toBe(true)
	})

	test('is false for an expired session', () => {
		expect(shouldExtendSession(now, now)).toBe(false)
		expect(shouldExtendSession(after(-1), now)).toBe(false)
		expect(shouldExtendSession(after(-DAY_MS), now)).toBe(false)
	})
})
