import { createHash } from 'node:crypto'
import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { describe, expect, test } from 'vitest'
import { generateToken, hashToken } from './session-token.server.ts'

describe('generateToken', () => {
	test('is 32 lower-case base32 characters that decode to 20 bytes (160 bits)', () => {
		const token = generateToken()
		expect(token).toMatch(/^[a-z2-7]{32}$/)
		expect(decodeBase32IgnorePadding(token.toUpperCase())).toHaveLength(20)
	})

	test('gives a different token each time', () => {
		const tokens = new Set(Array.from({ length: 1000 }, () => generateToken()))
		expect(tokens.size).toBe(1000)
	})

	test('uses the whole base32 alphabet, so no bits are constant', () => {
		// 100 tokens are 3,200 characters; a fair source misses one of 32 letters with odds of about e^-100.
		const seen = new Set(Array.from({ length: 100 }, () => generateToken()).join(''))
		expect(seen.size).toBe(32)
	})
})

describe('hashToken', () => {
	test('is the SHA-256 digest in lower-case hex', () => {
		const token = generateToken()
		const hash = hashToken(token)
		expect(hash).toMatch(/^[0-9a-f]{64}$/)
		expect(hash).toBe(createHash('sha256').update(token).digest('hex'))
	})

	test('encodes the token as UTF-8', () => {
		expect(hashToken('jeton-é-🔑')).toBe(createHash('sha256').update('jeton-é-🔑', 'utf8').digest('hex'))
	})

	test('is deterministic and differs from the token', () => {
		const token = generateToken()
		expect(hashToken(token)).toBe(hashToken(token))
		expect(hashToken(token)).not.toBe(token)
		expect(hashToken(token)).not.toBe(hashToken(generateToken()))
	})
})
