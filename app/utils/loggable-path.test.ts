import { describe, expect, test } from 'vitest'
import { loggablePath } from './loggable-path.ts'

describe('paths in the log', () => {
	test('a link token in the path is replaced', () => {
		expect(loggablePath('/reset-password/abc123def')).toBe('/reset-password/<token>')
		expect(loggablePath('/verify-email/abc123def')).toBe('/verify-email/<token>')
		expect(loggablePath('/invitations/abc123def.data')).toBe('/invitations/<token>')
	})

	test('other paths stay as they are', () => {
		expect(loggablePath('/org/acme/members')).toBe('/org/acme/members')
		expect(loggablePath('/reset-password')).toBe('/reset-password')
	})
})
