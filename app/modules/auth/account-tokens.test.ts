import { describe, expect, test } from 'vitest'
import { ACCOUNT_TOKEN_LIFETIME_MS, accountTokenExpiry, accountTokenState } from './account-tokens.ts'
import { generateToken, hashToken } from './session-token.server.ts'

const HOUR_MS = 60 * 60 * 1000
const issuedAt = new Date('2026-03-10T12:00:00.000Z')
const at = (ms: number) => new Date(issuedAt.getTime() + ms)

describe('account tokens', () => {
	test('are 160 random bits, new each time, and stored only as a SHA-256 that differs from them', () => {
		const tokens = Array.from({ length: 200 }, generateToken)
		expect(new Set(tokens).size).toBe(200)
		for (const token of tokens.slice(0, 5)) {
			expect(token).toMatch(/^[a-z2-7]{32}$/)
			expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/)
			expect(hashToken(token)).not.toContain(token)
			expect(hashToken(token)).toBe(hashToken(token))
		}
	})

	test('a reset link lasts one hour, a verification link 48 hours', () => {
		expect(ACCOUNT_TOKEN_LIFETIME_MS).toEqual({ RESET: HOUR_MS, VERIFY: 48 * HOUR_MS })
		expect(accountTokenExpiry('RESET', issuedAt)).toEqual(at(HOUR_MS))
		expect(accountTokenExpiry('VERIFY', issuedAt)).toEqual(at(48 * HOUR_MS))
	})

	test.each(['RESET', 'VERIFY'] as const)('a %s token is open until its expiry, expired from that instant on', (purpose) => {
		const expiresAt = accountTokenExpiry(purpose, issuedAt)
		const lifetime = ACCOUNT_TOKEN_LIFETIME_MS[purpose]
		expect(accountTokenState({ expiresAt, usedAt: null }, issuedAt)).toBe('open')
		expect(accountTokenState({ expiresAt, usedAt: null }, at(lifetime - 1))).toBe('open')
		expect(accountTokenState({ expiresAt, usedAt: null }, at(lifetime))).toBe('expired')
		expect(accountTokenState({ expiresAt, usedAt: null }, at(lifetime + HOUR_MS))).toBe('expired')
	})

	test('a used token stays used, also before its expiry and after it', () => {
		const expiresAt = accountTokenExpiry('RESET', issuedAt)
		expect(accountTokenState({ expiresAt, usedAt: at(60_000) }, at(120_000))).toBe('used')
		expect(accountTokenState({ expiresAt, usedAt: at(60_000) }, at(2 * HOUR_MS))).toBe('used')
	})
})
