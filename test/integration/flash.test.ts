import { describe, expect, test } from 'vitest'
import { consumeFlash, redirectWithFlash } from '#app/utils/flash.server.ts'
import { getRequest } from '#tests/fixtures/users.ts'

/** The name=value part of the flash cookie a response sets. */
async function flashCookieOf(message: string) {
	const response = await redirectWithFlash('/somewhere', { type: 'success', message })
	return response.headers.get('Set-Cookie')!.split(';')[0]!
}

const unsigned = (value: unknown) => `bulwark_flash=${encodeURIComponent(btoa(JSON.stringify(value)))}`

describe('the flash cookie is signed', () => {
	test('a message the app set shows once, and reading it clears the cookie', async () => {
		const { flash, headers } = await consumeFlash(getRequest('/', { cookie: await flashCookieOf('Invitation sent.') }))
		expect(flash).toEqual({ type: 'success', message: 'Invitation sent.' })
		expect(headers.get('Set-Cookie')).toMatch(/^bulwark_flash=;.*Max-Age=0/)
	})

	test('a hand-made cookie without a signature is ignored and cleared', async () => {
		const { flash, headers } = await consumeFlash(getRequest('/', { cookie: unsigned({ type: 'error', message: 'Your account is locked: call +1 555 0100.' }) }))
		expect(flash).toBeNull()
		expect(headers.get('Set-Cookie')).toMatch(/^bulwark_flash=;.*Max-Age=0/)
	})

	test('a real cookie with another message put in front of its signature is ignored', async () => {
		const real = await flashCookieOf('Saved.')
		const signature = decodeURIComponent(real.slice(real.indexOf('=') + 1)).split('.').at(-1)
		const forged = `${unsigned({ type: 'error', message: 'Enter your password again at evil.example.' })}${encodeURIComponent(`.${signature}`)}`
		const { flash } = await consumeFlash(getRequest('/', { cookie: forged }))
		expect(flash).toBeNull()
	})

	test('no flash cookie: nothing shown, nothing cleared', async () => {
		const { flash, headers } = await consumeFlash(getRequest('/', { cookie: 'other=1' }))
		expect(flash).toBeNull()
		expect(headers.get('Set-Cookie')).toBeNull()
	})
})
