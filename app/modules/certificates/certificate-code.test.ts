import { describe, expect, test } from 'vitest'
import { generateCertificateCode, normaliseCertificateCode } from './certificate-code.server.ts'

/** Crockford's base32: digits and upper-case letters without I, L, O and U. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CODE = new RegExp(`^[${CROCKFORD}]{4}(-[${CROCKFORD}]{4}){4}$`)

describe('generateCertificateCode', () => {
	test('is five groups of four characters from Crockford’s alphabet', () => {
		for (let draw = 0; draw < 100; draw++) {
			const code = generateCertificateCode()
			expect(code).toMatch(CODE)
			expect(code).not.toMatch(/[ILOU]/)
		}
	})

	test('gives a different code each time', () => {
		const codes = new Set(Array.from({ length: 1000 }, () => generateCertificateCode()))
		expect(codes.size).toBe(1000)
	})

	test('uses the whole alphabet, so no bits are constant', () => {
		// 200 codes are 4,000 characters; a fair source misses one of 32 with odds of about 32 · e^-125.
		const seen = new Set(Array.from({ length: 200 }, () => generateCertificateCode().replaceAll('-', '')).join(''))
		expect([...seen].sort().join('')).toBe(CROCKFORD)
	})

	test('is accepted as it is by normaliseCertificateCode', () => {
		const code = generateCertificateCode()
		expect(normaliseCertificateCode(code)).toBe(code)
	})
})

describe('normaliseCertificateCode', () => {
	test('accepts lower case and surrounding spaces', () => {
		expect(normaliseCertificateCode('7k2m-9qxd-f4zb-h8rt-c3nw')).toBe('7K2M-9QXD-F4ZB-H8RT-C3NW')
		expect(normaliseCertificateCode('  7K2M-9QXD-F4ZB-H8RT-C3NW\n')).toBe('7K2M-9QXD-F4ZB-H8RT-C3NW')
	})

	test('reads I and L as 1 and O as 0, in either case', () => {
		expect(normaliseCertificateCode('IL2M-9QXD-F4ZB-H8RT-COoW')).toBe('112M-9QXD-F4ZB-H8RT-C00W')
		expect(normaliseCertificateCode('il2m-9qxd-f4zb-h8rt-cooW')).toBe('112M-9QXD-F4ZB-H8RT-C00W')
	})

	test.each([
		['7K2M-9QXD-F4ZB-H8RT', 'four groups'],
		['7K2M-9QXD-F4ZB-H8RT-C3NW-AAAA', 'six groups'],
		['7K2M-9QXD-F4ZB-H8RT-C3N', 'a short group'],
		['7K2M-9QXD-F4ZB-H8RT-C3NWX', 'a long group'],
		['7K2M-9QXD-F4ZB-H8RT-C3NU', 'U, which Crockford leaves out'],
		['7K2M-9QXD-F4ZB-H8RT-C3N!', 'punctuation'],
		['7K2M_9QXD_F4ZB_H8RT_C3NW', 'other separators'],
		['7K2M-9QXD-F4ZB-H8RT-C3NÄ', 'a letter outside the alphabet'],
		['', 'nothing'],
		['   ', 'spaces only'],
	])('refuses %j (%s)', (input) => {
		expect(normaliseCertificateCode(input)).toBeNull()
	})

	test('refuses undefined', () => {
		expect(normaliseCertificateCode(undefined)).toBeNull()
	})
})
