import { randomBytes } from 'node:crypto'

/** Crockford's base32: no I, L, O or U, so a code read off paper is not mistyped. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** 100 random bits as five groups of four, like 7K2M-9QXD-F4ZB-H8RT-C3NW. */
export function generateCertificateCode() {
	const bytes = randomBytes(20)
	let code = ''
	for (let index = 0; index < 20; index++) {
		code += ALPHABET[(bytes[index] ?? 0) & 31]
		if (index % 4 === 3 && index < 19) code += '-'
	}
	return code
}

export const CERTIFICATE_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/

/** Accepts a code typed in lower case or with Crockford's look-alikes; null when it cannot be one. */
export function normaliseCertificateCode(input: string | undefined) {
	if (!input) return null
	const code = input.trim().toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0')
	return CERTIFICATE_CODE_PATTERN.test(code) ? code : null
}
