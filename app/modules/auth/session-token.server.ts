import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'

/** 20 random bytes (160 bits), as Lucia recommends; the same shape serves invitation links. */
export function generateToken() {
	const bytes = new Uint8Array(20)
	crypto.getRandomValues(bytes)
	return encodeBase32LowerCaseNoPadding(bytes)
}

/** Only this digest is stored, so a leaked database cannot be replayed as cookies or links. */
export function hashToken(token: string) {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}
