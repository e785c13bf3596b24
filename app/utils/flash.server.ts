import { createCookie, redirect } from '@remix-run/node'
import { z } from 'zod'
import { getEnv } from './env.server.ts'

export type Flash = { type: 'success' | 'error'; message: string }

const FlashSchema = z.object({ type: z.enum(['success', 'error']), message: z.string().max(500) })

// A one-time message for the next page; it holds only text the app itself wrote, never secrets.
const flashCookie = createCookie('bulwark_flash', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 })

const isProduction = () => getEnv().NODE_ENV === 'production'

export async function redirectWithFlash(url: string, flash: Flash, init: ResponseInit = {}) {
	const headers = new Headers(init.headers)
	headers.append('Set-Cookie', await flashCookie.serialize(flash, { secure: isProduction() }))
	return redirect(url, { ...init, headers })
}

/** Reads and clears the flash message; the caller adds `headers` to its response. */
export async function consumeFlash(request: Request) {
	const raw = await flashCookie.parse(request.headers.get('Cookie'))
	const parsed = FlashSchema.safeParse(raw)
	if (raw === null || raw === undefined) return { flash: null, headers: new Headers() }
	return {
		flash: parsed.success ? parsed.data : null,
		headers: new Headers({ 'Set-Cookie': await flashCookie.serialize('', { maxAge: 0, secure: isProduction() }) }),
	}
}
