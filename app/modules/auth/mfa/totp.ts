import { generateHOTP } from '@oslojs/otp'

/** RFC 6238 as every authenticator app reads an otpauth:// URI: SHA-1, 30 s steps, 6 digits. */
export const TOTP_PERIOD_SECONDS = 30
export const TOTP_DIGITS = 6
/** A code of the step before or after the current one still counts: clocks drift and people type slowly. */
export const TOTP_WINDOW_STEPS = 1
/** 160 bits, the length RFC 4226 recommends for the shared secret. */
export const TOTP_SECRET_BYTES = 20

export function totpStepAt(now: Date) {
	return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS)
}

export function totpCodeForStep(key: Uint8Array, step: number) {
	return generateHOTP(key, BigInt(step), TOTP_DIGITS)
}

/** Compares without stopping at the first different digit, so timing says nothing about the code. */
function sameCode(a: string, b: string) {
	if (a.length !== b.length) return false
	let difference = 0
	for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index)
	return difference === 0
}

/**
 * The time step whose code `code` is, within TOTP_WINDOW_STEPS of `now`, or null. A step at or
 * before `lastUsedStep` is never matched: a code seen once (over a shoulder, by a phishing proxy)
 * cannot be used again, nor can an older one.
 */
export function matchTotpStep(key: Uint8Array, code: string, now: Date, lastUsedStep: number | null) {
	const current = totpStepAt(now)
	let matched: number | null = null
	for (let step = current - TOTP_WINDOW_STEPS; step <= current + TOTP_WINDOW_STEPS; step++) {
		if (lastUsedStep !== null && step <= lastUsedStep) continue
		// Every step is checked, so the time taken does not reveal which one matched.
		if (sameCode(totpCodeForStep(key, step), code) && matched === null) matched = step
	}
	return matched
}
