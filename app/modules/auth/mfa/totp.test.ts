import { describe, expect, test } from 'vitest'
import { matchTotpStep, TOTP_PERIOD_SECONDS, totpCodeForStep, totpStepAt } from './totp.ts'

// RFC 6238 appendix B: the SHA-1 test key, "12345678901234567890" in ASCII.
const RFC_KEY = new TextEncoder().encode('12345678901234567890')
const at = (seconds: number) => new Date(seconds * 1000)

describe('TOTP codes', () => {
	test('match the RFC 6238 test vectors (last six digits of the eight-digit values)', () => {
		expect(totpCodeForStep(RFC_KEY, totpStepAt(at(59)))).toBe('287082')
		expect(totpCodeForStep(RFC_KEY, totpStepAt(at(1111111109)))).toBe('081804')
		expect(totpCodeForStep(RFC_KEY, totpStepAt(at(1234567890)))).toBe('005924')
	})
})

describe('matchTotpStep', () => {
	const now = at(1_700_000_000)
	const step = totpStepAt(now)
	const codeOf = (offset: number) => totpCodeForStep(RFC_KEY, step + offset)

	test('accepts the current step and one step either side, and says which step matched', () => {
		expect(matchTotpStep(RFC_KEY, codeOf(0), now, null)).toBe(step)
		expect(matchTotpStep(RFC_KEY, codeOf(-1), now, null)).toBe(step - 1)
		expect(matchTotpStep(RFC_KEY, codeOf(1), now, null)).toBe(step + 1)
	})

	test('refuses codes two steps (60 s) away or more', () => {
		expect(matchTotpStep(RFC_KEY, codeOf(-2), now, null)).toBeNull()
		expect(matchTotpStep(RFC_KEY, codeOf(2), now, null)).toBeNull()
		expect(matchTotpStep(RFC_KEY, codeOf(-10), now, null)).toBeNull()
	})

	test('a code from the previous step still counts at the very start of a step', () => {
		const stepStart = at(step * TOTP_PERIOD_SECONDS)
		expect(matchTotpStep(RFC_KEY, codeOf(-1), stepStart, null)).toBe(step - 1)
	})

	test('refuses a replayed code: its step, and every earlier one, once a step has been used', () => {
		expect(matchTotpStep(RFC_KEY, codeOf(0), now, step)).toBeNull()
		expect(matchTotpStep(RFC_KEY, codeOf(-1), now, step)).toBeNull()
		// The next step's code is still good after the current one was used.
		expect(matchTotpStep(RFC_KEY, codeOf(1), now, step)).toBe(step + 1)
		// A later use closes the earlier steps of the window too.
		expect(matchTotpStep(RFC_KEY, codeOf(0), now, step + 1)).toBeNull()
	})

	test('refuses wrong, short and non-numeric codes', () => {
		const wrong = String((Number(codeOf(0)) + 1) % 1_000_000).padStart(6, '0')
		expect(matchTotpStep(RFC_KEY, wrong, now, null)).toBeNull()
		expect(matchTotpStep(RFC_KEY, codeOf(0).slice(0, 5), now, null)).toBeNull()
		expect(matchTotpStep(RFC_KEY, 'abcdef', now, null)).toBeNull()
		expect(matchTotpStep(RFC_KEY, '', now, null)).toBeNull()
	})
})
