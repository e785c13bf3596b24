import { type ChildProcess, spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import net from 'node:net'
import { expect, test } from '@playwright/test'

// A server of its own, so its log can be read: the built app in production mode, as `npm start` runs it.
const PORT = 3102
const ORIGIN = `http://localhost:${PORT}`
const DATA_DIR = 'data/e2e-log'

let server: ChildProcess
let log = ''

test.beforeAll(async () => {
	rmSync(DATA_DIR, { recursive: true, force: true })
	server = spawn('node', ['server-build/index.js'], {
		env: { ...process.env, NODE_ENV: 'production', PORT: String(PORT), PGLITE_DATA_DIR: DATA_DIR, DATABASE_URL: '', SMTP_URL: '', TRUST_PROXY: 'false', COOKIE_SECRET: 'a test secret that is long enough to pass', ENCRYPTION_KEY: 'playwright-tests-encryption-key-0123456789' },
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	server.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()))
	server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
	await expect.poll(() => log, { timeout: 60_000 }).toContain('Bulwark is listening')
})

test.afterAll(async () => {
	server.kill('SIGTERM')
	await new Promise((resolve) => server.once('exit', resolve))
	rmSync(DATA_DIR, { recursive: true, force: true })
})

test('anonymous client errors, each sent five times, add at most one log line each and no stack trace', async ({ request }) => {
	const requests: Array<[string, string]> = [
		['GET', '/courses/%zz'],
		['GET', '/org/%ZZ'],
		['POST', '/org/%ZZ'],
		['GET', '/dashboard?_data=routes/dashboard'],
		['GET', '/no-such-page'],
		['POST', '/dashboard'],
		['POST', '/healthz'],
		['POST', '/org/northwind/compliance.csv'],
		['POST', '/login'],
		['OPTIONS', '/org/northwind/compliance.csv'],
		['PUT', '/healthz'],
	]
	const before = log.split('\n').length
	for (let round = 0; round < 5; round++) {
		for (const [method, path] of requests) {
			const response = await request.fetch(`${ORIGIN}${path}`, { method, headers: method === 'POST' && path !== '/login' ? { Origin: ORIGIN } : {}, maxRedirects: 0 })
			expect(response.status(), `${method} ${path}`).toBeGreaterThanOrEqual(400)
			expect(response.status(), `${method} ${path}`).toBeLessThan(500)
		}
	}
	// A Host header no address can be made of, as a raw request (HTTP clients refuse to send it).
	for (let round = 0; round < 5; round++) {
		const answer = await new Promise<string>((resolve, reject) => {
			const socket = net.connect(PORT, '127.0.0.1')
			let received = ''
			socket.on('data', (chunk) => (received += chunk.toString()))
			socket.on('end', () => resolve(received))
			socket.on('error', reject)
			socket.write('GET /courses HTTP/1.1\r\nHost: exa mple\r\nConnection: close\r\n\r\n')
		})
		expect(answer).toMatch(/^HTTP\/1\.1 400 /)
	}
	// One more ordinary request, so anything logged late has arrived before reading.
	expect((await request.get(`${ORIGIN}/healthz`)).status()).toBe(200)
	const added = log.split('\n').slice(before - 1).filter((line) => line.trim() !== '')
	expect(added.length, added.join('\n')).toBeLessThanOrEqual(requests.length + 1)
	expect(added.join('\n')).not.toMatch(/^\s+at /m)
	expect(added.join('\n')).not.toMatch(/URIError|Single fetch/)
})
