import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

/** Refuses to go on without `npm run build`'s output: the scripts measure the production build. */
export function requireProductionBuild() {
	if (!existsSync('server-build/index.js') || !existsSync('build/courses/manifest.json')) {
		console.error('No production build: run `npm run build` first.')
		process.exit(2)
	}
}

/** Starts the built server on `port` with `env` over the process's own; resolves once /healthz answers. */
export async function startProductionServer(port: number, env: Record<string, string>, stdio: 'ignore' | 'inherit' = 'ignore') {
	const server = spawn(process.execPath, ['server-build/index.js'], {
		env: { ...process.env, NODE_ENV: 'production', PORT: String(port), SMTP_URL: '', ENCRYPTION_KEY: 'benchmark-only-encryption-key-0123456789', ...env },
		stdio: ['ignore', stdio, 'inherit'],
	})
	const origin = `http://localhost:${port}`
	await waitForServer(server, origin)
	return {
		server,
		origin,
		async stop() {
			server.kill('SIGTERM')
			if (server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve))
		},
	}
}

async function waitForServer(server: ChildProcess, origin: string) {
	for (let attempt = 0; attempt < 150; attempt++) {
		if (server.exitCode !== null) throw new Error(`The server exited with code ${server.exitCode}`)
		try {
			if ((await fetch(`${origin}/healthz`)).ok) return
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200))
	}
	throw new Error('The server did not answer /healthz within 30 s')
}

/**
 * A same-origin form POST, as the browser sends it; redirects are returned, not followed. Tried
 * once more when the connection was reset: a server that answered an earlier large body without
 * reading it (a redirect to log in, say) closes that keep-alive connection, and fetch may reuse it.
 */
export function postForm(origin: string, path: string, body: URLSearchParams, cookie?: string) {
	return fetchPastReset(`${origin}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { Cookie: cookie } : {}) },
		body,
	})
}

/** `fetch`, tried once more when the reused connection it went out on had been reset (see postForm). */
export async function fetchPastReset(url: string, init?: RequestInit) {
	try {
		return await fetch(url, init)
	} catch (error) {
		if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error
		return fetch(url, init)
	}
}

/** The session cookie a sign-up or log-in answer sets, as a Cookie header. */
function sessionOf(response: Response, what: string) {
	const cookie = response.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ')
	if (response.status !== 302 || !cookie) throw new Error(`${what} failed with status ${response.status}`)
	return cookie
}

/** Signs a new account up through the form and returns its session cookie. */
export async function signUp(origin: string, { name, email, password }: { name: string; email: string; password: string }) {
	return sessionOf(await postForm(origin, '/signup', new URLSearchParams({ name, email, password })), 'Sign-up')
}

/** Logs in through the form and returns the new session cookie. */
export async function logIn(origin: string, { email, password }: { email: string; password: string }) {
	return sessionOf(await postForm(origin, '/login', new URLSearchParams({ email, password })), 'Log-in')
}
