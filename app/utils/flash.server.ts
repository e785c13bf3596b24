import { randomBytes } from 'node:crypto'
import { createCookie, redirect } from '@remix-run/node'
import { z } from 'zod'
import { getEnv } from './env.server.ts'

export type Flash = { type: 'success' | 'error'; message: string }

const FlashSchema = z.object({ type: z.enum(['success', 'error']), message: z.string().max(500) })

const FLASH_COOKIE_NAME = 'bulwark_flash'

let cookie: ReturnType<typeof createCookie> | undefined

/**
 * A one-time message for the next page; it holds only text the app itself wrote, never secrets.
 * It is signed, so a hand-made cookie cannot make the app show words it did not write. Without
 * COOKIE_SECRET the key is random per process: a message pending across a restart, or read by
 * another instance, is dropped (docs/decisions/019-signed-flash-and-cache-control.md).
 */
function flashCookie() {
	cookie ??= createCookie(FLASH_COOKIE_NAME, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		maxAge: 60,
		secrets: [getEnv().COOKIE_SECRET ?? randomBytes(32).toString('base64url')],
	})
	return cookie
}

const isProduction = () => getEnv().NODE_ENV === 'production'

export async function redirectWithFlash(url: string, flash: Flash, init: ResponseInit = {}) {
	const headers = new Headers(init.headers)
	headers.append('Set-Cookie', await flashCookie().serialize(flash, { secure: isProduction() }))
	return redirect(url, { ...init, headers })
}

/** Reads and clears the flash message; the caller adds `headers` to its response. */
export async function consumeFlash(request: Request) {
	const header = request.headers.get('Cookie')
	if (!header?.includes(`${FLASH_COOKIE_NAME}=`)) return { flash: null, headers: new Headers() }
	// A cookie whose signature does not match parses as null: it is ignored, and cleared like any other.
	const parsed = FlashSchema.safeParse(await flashCookie().parse(header))
	return {
		flash: parsed.success ? parsed.data : null,
		headers: new Headers({ 'Set-Cookie': await flashCookie().serialize('', { maxAge: 0, secure: isProduction() }) }),
	}
}
