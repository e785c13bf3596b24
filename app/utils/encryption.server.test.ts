import { describe, expect, test } from 'vitest'
import { decryptSecret, encryptSecret } from './encryption.server.ts'

describe('secrets at rest', () => {
	test('a secret decrypts for its purpose and is not readable in the stored form', () => {
		const stored = encryptSecret('client-secret-123', 'sso-client-secret')
		expect(stored).not.toContain('client-secret-123')
		expect(decryptSecret(stored, 'sso-client-secret')).toBe('client-secret-123')
	})

	test('the same secret encrypts differently each time', () => {
		expect(encryptSecret('same', 'p')).not.toBe(encryptSecret('same', 'p'))
	})

	test('another purpose, a changed byte or a foreign value does not decrypt', () => {
		const stored = encryptSecret('secret', 'outbox-link')
		expect(decryptSecret(stored, 'sso-client-secret')).toBeNull()
		const [format, iv, body, tag] = stored.split('.')
		const flipped = body!.startsWith('A') ? `B${body!.slice(1)}` : `A${body!.slice(1)}`
		expect(decryptSecret([format, iv, flipped, tag].join('.'), 'outbox-link')).toBeNull()
		expect(decryptSecret('plain text', 'outbox-link')).toBeNull()
	})
})
