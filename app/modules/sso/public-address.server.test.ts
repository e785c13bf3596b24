import { describe, expect, test } from 'vitest'
import { assertPublicHost, isPublicAddress, NonPublicHostError } from './public-address.server.ts'

describe('addresses the server may fetch an SSO provider from', () => {
	test('private, loopback, link-local and mapped ones are refused; public ones pass', () => {
		for (const address of ['10.1.2.3', '172.16.0.1', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1']) {
			expect(isPublicAddress(address), address).toBe(false)
		}
		for (const address of ['20.190.128.1', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(address), address).toBe(true)
	})

	test('a host name is refused when any of its addresses is not public', async () => {
		const resolvesTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address }))
		await expect(assertPublicHost(new URL('https://idp.example.test/'), resolvesTo('20.190.128.1'))).resolves.toBeUndefined()
		await expect(assertPublicHost(new URL('https://idp.example.test/'), resolvesTo('20.190.128.1', '10.0.0.5'))).rejects.toThrow(NonPublicHostError)
		await expect(assertPublicHost(new URL('https://metadata.example.test/'), resolvesTo('169.254.169.254'))).rejects.toThrow(NonPublicHostError)
		await expect(assertPublicHost(new URL('https://[::1]/'))).rejects.toThrow(NonPublicHostError)
	})
})
