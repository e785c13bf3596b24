import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { getEnv } from './env.server.ts'
import { remember } from './remember.server.ts'

// Secrets the app must read back later (an SSO client secret, a link waiting in the outbox) are
// stored as AES-256-GCM ciphertext under a key derived from ENCRYPTION_KEY
// (docs/decisions/022-secrets-encrypted-at-rest.md). Production refuses to start without the key;
// development and tests use a published one, like the demo passwords.

const DEVELOPMENT_KEY = 'bulwark-development-key-not-for-production-use'
const FORMAT = 'v1'
const IV_BYTES = 12

const getKey = () =>
	remember('encryption-key', () => Buffer.from(hkdfSync('sha256', getEnv().ENCRYPTION_KEY ?? DEVELOPMENT_KEY, 'bulwark', 'secrets at rest', 32)))

/** `purpose` binds the ciphertext to its use: a secret copied into another column does not decrypt there. */
export function encryptSecret(plaintext: string, purpose: string) {
	const iv = randomBytes(IV_BYTES)
	const cipher = createCipheriv('aes-256-gcm', getKey(), iv)
	cipher.setAAD(Buffer.from(purpose))
	const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
	return [FORMAT, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
}

/** The plaintext, or null when the value was not encrypted by this key for this purpose. */
export function decryptSecret(ciphertext: string, purpose: string) {
	const [format, iv, body, tag] = ciphertext.split('.')
	if (format !== FORMAT || !iv || !body || !tag) return null
	try {
		const decipher = createDecipheriv('aes-256-gcm', getKey(), Buffer.from(iv, 'base64url'))
		decipher.setAAD(Buffer.from(purpose))
		decipher.setAuthTag(Buffer.from(tag, 'base64url'))
		return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
	} catch {
		return null
	}
}
