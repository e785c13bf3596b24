import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'

export const RECOVERY_CODE_COUNT = 10
/** 80 random bits each: far beyond guessing, so a fast hash (SHA-256) is enough to store them (decision 025). */
const RECOVERY_CODE_BYTES = 10

/** A new code as it is shown: 16 base32 letters in groups of four (`abcd-efgh-ijkl-mnop`). */
export function generateRecoveryCode() {
	const bytes = new Uint8Array(RECOVERY_CODE_BYTES)
	crypto.getRandomValues(bytes)
	return encodeBase32LowerCaseNoPadding(bytes).match(/.{4}/g)!.join('-')
}

/** How a code is stored and compared: what a person types, without case, spaces or dashes. */
export function normaliseRecoveryCode(input: string) {
	return input.toLowerCase().replace(/[\s-]/g, '')
}
