import { describe, expect, test } from 'vitest'
import { parseEnv } from './env.server.ts'

describe('environment', () => {
	test('production refuses to start without ENCRYPTION_KEY, naming it', () => {
		expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/ENCRYPTION_KEY is required in production/)
		expect(parseEnv({ NODE_ENV: 'production', ENCRYPTION_KEY: 'k'.repeat(32) }).ENCRYPTION_KEY).toBe('k'.repeat(32))
	})

	test('development runs without one; a short key is refused everywhere', () => {
		expect(parseEnv({ NODE_ENV: 'development' }).ENCRYPTION_KEY).toBeUndefined()
		expect(() => parseEnv({ ENCRYPTION_KEY: 'short' })).toThrow(/at least 32 characters/)
	})
})
