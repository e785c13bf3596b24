import { hash, verify } from '@node-rs/argon2'
import { generateToken } from './session-token.server.ts'

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. (`Algorithm` is a const enum,
// which isolated modules cannot read: 2 is its Argon2id.)
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string) {
	return hash(password, ARGON2_OPTIONS)
}

export function verifyPassword(passwordHash: string, password: string) {
	return verify(passwordHash, password).catch(() => false)
}

let dummyHash: Promise<string> | undefined

/** Spends the same time as a real check when the account does not exist, so timing reveals nothing. */
export async function verifyAgainstDummy(password: string) {
	dummyHash ??= hashPassword('bulwark dummy password for timing')
	await verifyPassword(await dummyHash, password)
	return false
}

/**
 * For an account made for someone who has not chosen a password (provisioned over SCIM): the hash
 * of a random password nobody knows, so every password fails, taking the usual time. They sign
 * in through single sign-on or set a password by resetting it.
 */
export function hashUnknownPassword() {
	return hashPassword(generateToken())
}
