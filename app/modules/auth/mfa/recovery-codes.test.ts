import { describe, expect, test } from 'vitest'
import { generateRecoveryCode, normaliseRecoveryCode } from './recovery-codes.ts'

describe('recovery codes', () => {
	test('are 16 base32 letters in four groups, different every time', () => {
		const codes = Array.from({ length: 1000 }, () => generateRecoveryCode())
		for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/)
		expect(new Set(codes).size).toBe(1000)
	})

	test('are compared without case, spaces or dashes, as people type them', () => {
		const code = generateRecoveryCode()
		expect(normaliseRecoveryCode(code.toUpperCase())).toBe(code.replace(/-/g, ''))
		expect(normaliseRecoveryCode(` ${code.replace(/-/g, ' ')} `)).toBe(code.replace(/-/g, ''))
	})
})
