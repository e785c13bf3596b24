import type { AddressInfo } from 'node:net'
import net from 'node:net'
import http from 'node:http'
import express, { type ErrorRequestHandler, type Request, type Response } from 'express'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { IMPORT_MESSAGES, memberImportBodyLimit } from '#app/modules/organisations/member-import.ts'
import { ClientError } from '../../server/errors.ts'
import { checkProxySetting, configurationWarnings, limitBodySize, rejectForeignOrigins } from '../../server/security.ts'

/**
 * server/security.ts is Express middleware; the unit project only covers app/** and scripts/**, so
 * it is tested here on a real server (port 0) the way server/index.ts mounts it.
 */
const MAX_BYTES = 1024
const MAX_IMPORT_BYTES = 4 * MAX_BYTES
const IMPORT_PATH = '/org/acme/members/import'

let server: http.Server
let origin: string
let port: number

beforeAll(async () => {
	const app = express()
	app.use(rejectForeignOrigins({ trustProxy: false }))
	app.use(limitBodySize(MAX_BYTES, [memberImportBodyLimit(MAX_IMPORT_BYTES)]))
	app.all(['/echo', IMPORT_PATH, '/scim/v2/acme/Users', '/scim/Users'], (req, res) => {
		let bytes = 0
		req.on('data', (chunk: Buffer) => (bytes += chunk.length))
		req.on('end', () => res.type('text/plain').send(`passed ${req.method} ${bytes}`))
	})
	// The refusals' status and message; the app's own handler renders them as its error page.
	const showRefusal: ErrorRequestHandler = (error: ClientError, _req, res, _next) => {
		res.status(error.status).type('text/plain').send(error.message)
	}
	app.use(showRefusal)
	server = http.createServer(app)
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	port = (server.address() as AddressInfo).port
	origin = `http://127.0.0.1:${port}`
})

afterAll(async () => {
	server.closeAllConnections()
	await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
})

/** Writes the request text as is, so headers Node's client would refuse can be sent. Returns status line and body. */
function rawRequest(text: string) {
	return new Promise<{ status: number; body: string }>((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1', () => socket.write(text))
		let received = ''
		socket.setEncoding('utf8')
		socket.on('data', (chunk: string) => {
			received += chunk
			// One response is all we need: stop once its headers and body have arrived.
			const end = received.indexOf('\r\n\r\n')
			if (end === -1) return
			const length = /\r\ncontent-length: *(\d+)/i.exec(received.slice(0, end))?.[1]
			if (length !== undefined && Buffer.byteLength(received.slice(end + 4)) >= Number(length)) socket.end()
		})
		socket.on('end', () => socket.destroy())
		socket.on('close', () => {
			const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1])
			if (!status) return reject(new Error(`No HTTP response: ${JSON.stringify(received)}`))
			resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4) })
		})
		socket.on('error', reject)
	})
}

describe('rejectForeignOrigins', () => {
	test('a POST from this site passes', async () => {
		const response = await fetch(`${origin}/echo`, { method: 'POST', headers: { Origin: origin }, body: 'hello' })
		expect(response.status).toBe(200)
		expect(await response.text()).toBe('passed POST 5')
	})

	test('a POST from another origin is refused with 403', async () => {
		const response = await fetch(`${origin}/echo`, { method: 'POST', headers: { Origin: 'https://evil.example' }, body: 'hello' })
		expect(response.status).toBe(403)
		expect(await response.text()).toMatch(/did not come from a Bulwark page/)
	})

	test('the same host on another port is another origin', async () => {
		const response = await fetch(`${origin}/echo`, { method: 'POST', headers: { Origin: `http://127.0.0.1:${port + 1}` }, body: 'hello' })
		expect(response.status).toBe(403)
	})

	test('a POST without Origin is refused with 403', async () => {
		const { status, body } = await rawRequest(
			`POST /echo HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`,
		)
		expect(status).toBe(403)
		expect(body).toMatch(/did not come from a Bulwark page/)
	})

	test('a POST with a malformed Origin is refused with 403', async () => {
		const response = await fetch(`${origin}/echo`, { method: 'POST', headers: { Origin: 'null' }, body: 'hello' })
		expect(response.status).toBe(403)
	})

	test('without a trusted proxy, X-Forwarded-Host cannot make a foreign origin match', async () => {
		const response = await fetch(`${origin}/echo`, {
			method: 'POST',
			headers: { Origin: 'https://evil.example', 'X-Forwarded-Host': 'evil.example' },
			body: 'hello',
		})
		expect(response.status).toBe(403)
	})

	test('SCIM requests pass without Origin: identity providers call server to server, with a bearer token', async () => {
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
			const { status, body } = await rawRequest(
				`${method} /scim/v2/acme/Users HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/scim+json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
			)
			expect(status).toBe(200)
			expect(body).toBe(`passed ${method} 2`)
		}
	})

	test('only under /scim/v2/: elsewhere a POST without Origin is still refused', async () => {
		const { status } = await rawRequest(`POST /scim/Users HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`)
		expect(status).toBe(403)
	})

	test('a GET without Origin passes', async () => {
		const response = await fetch(`${origin}/echo`)
		expect(response.status).toBe(200)
		expect(await response.text()).toBe('passed GET 0')
	})
})

describe('limitBodySize', () => {
	test('the member import takes a larger file, up to its own limit, with its own refusal', async () => {
		const post = (path: string, bytes: number) => fetch(`${origin}${path}`, { method: 'POST', headers: { Origin: origin }, body: 'x'.repeat(bytes) })
		expect(await (await post(IMPORT_PATH, MAX_IMPORT_BYTES)).text()).toBe(`passed POST ${MAX_IMPORT_BYTES}`)
		const tooLarge = await post(IMPORT_PATH, MAX_IMPORT_BYTES + 1)
		expect(tooLarge.status).toBe(413)
		expect(await tooLarge.text()).toBe(IMPORT_MESSAGES.fileTooLarge(MAX_IMPORT_BYTES))
		// Only that page: the same body elsewhere is refused by the general limit.
		expect((await post('/echo', MAX_IMPORT_BYTES)).status).toBe(413)
		expect((await post('/org/acme/members/import/extra', MAX_BYTES + 1)).status).toBe(413)
	})

	test('a body at the limit passes', async () => {
		const response = await fetch(`${origin}/echo`, { method: 'POST', headers: { Origin: origin }, body: 'x'.repeat(MAX_BYTES) })
		expect(response.status).toBe(200)
		expect(await response.text()).toBe(`passed POST ${MAX_BYTES}`)
	})

	test('a Content-Length over the limit is refused with 413', async () => {
		const response = await fetch(`${origin}/echo`, { method: 'POST', headers: { Origin: origin }, body: 'x'.repeat(MAX_BYTES + 1) })
		expect(response.status).toBe(413)
		expect(await response.text()).toMatch(/too large: at most 1 KiB/)
	})

	test('a chunked body without Content-Length is refused with 411', async () => {
		const { status, body } = await rawRequest(
			`POST /echo HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
		)
		expect(status).toBe(411)
		expect(body).toMatch(/must say how long it is/)
	})

	test('a chunked body sent by fetch (a stream) is refused with 411', async () => {
		const stream = new ReadableStream({
			start(controller) {
				controller.enqueue(new TextEncoder().encode('hello'))
				controller.close()
			},
		})
		const response = await fetch(`${origin}/echo`, { method: 'POST', headers: { Origin: origin }, body: stream, duplex: 'half' } as RequestInit)
		expect(response.status).toBe(411)
	})

	test('a non-numeric Content-Length on the wire is refused with 400 (by Node’s parser before any middleware)', async () => {
		const { status } = await rawRequest(`POST /echo HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\nContent-Length: abc\r\nConnection: close\r\n\r\nhello`)
		expect(status).toBe(400)
	})

	/**
	 * Node's HTTP parser already answers 400 to a Content-Length that is not all digits, so the
	 * middleware's own check (defence in depth, e.g. for another server or parser) is only reachable
	 * when called directly.
	 */
	test.each(['abc', '1e3', '0x10', '-1', '5.0', '', '10, 10'])('the middleware itself refuses Content-Length %j with 400', (length) => {
		const outcome = runLimitBodySize({ 'content-length': length })
		expect(outcome).toEqual({ status: 400, body: 'The request has an invalid Content-Length header.', next: false })
	})

	test('the middleware itself passes a numeric Content-Length within the limit and refuses one over it', () => {
		expect(runLimitBodySize({ 'content-length': String(MAX_BYTES) })).toEqual({ status: null, body: null, next: true })
		expect(runLimitBodySize({ 'content-length': String(MAX_BYTES + 1) })).toMatchObject({ status: 413, next: false })
		expect(runLimitBodySize({ 'transfer-encoding': 'chunked' })).toMatchObject({ status: 411, next: false })
		expect(runLimitBodySize({})).toEqual({ status: null, body: null, next: true })
	})
})

describe('checkProxySetting', () => {
	/** The warnings the middleware logs for these requests, each given as its headers and path. */
	function warningsFor(trustProxy: boolean, requests: Array<{ path?: string; headers?: Record<string, string> }>) {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
		try {
			const check = checkProxySetting({ trustProxy })
			let passed = 0
			for (const { path = '/', headers = {} } of requests) {
				const req = { method: 'GET', path, get: (name: string) => headers[name.toLowerCase()] } as unknown as Request
				check(req, {} as Response, () => passed++)
			}
			expect(passed, 'every request is served').toBe(requests.length)
			return warn.mock.calls.map((call) => String(call[0]))
		} finally {
			warn.mockRestore()
		}
	}
	const viaProxy = { headers: { 'x-forwarded-for': '203.0.113.7' } }

	test('TRUST_PROXY off and requests forwarded by a proxy: one warning, however many requests', () => {
		const warnings = warningsFor(false, [viaProxy, viaProxy, viaProxy])
		expect(warnings).toHaveLength(1)
		expect(warnings[0]).toMatch(/X-Forwarded-For but TRUST_PROXY is off/)
	})

	test('TRUST_PROXY on and a request that did not come through the proxy: one warning', () => {
		const warnings = warningsFor(true, [viaProxy, {}, {}])
		expect(warnings).toHaveLength(1)
		expect(warnings[0]).toMatch(/without X-Forwarded-For although TRUST_PROXY is on/)
	})

	test('settings that match the traffic, and health checks straight from a load balancer, are quiet', () => {
		expect(warningsFor(false, [{}, {}])).toEqual([])
		expect(warningsFor(true, [viaProxy, { path: '/healthz' }, viaProxy])).toEqual([])
	})
})

describe('configurationWarnings', () => {
	test('production without COOKIE_SECRET, or with SSO over plain HTTP allowed, is warned about; development and a set secret are not', () => {
		expect(configurationWarnings({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/COOKIE_SECRET is not set/)])
		expect(configurationWarnings({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(32) })).toEqual([])
		expect(configurationWarnings({ NODE_ENV: 'development' })).toEqual([])
		expect(configurationWarnings({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(32), SSO_ALLOW_HTTP_LOCALHOST: true })).toEqual([
			expect.stringMatching(/SSO_ALLOW_HTTP_LOCALHOST is on/),
		])
		expect(configurationWarnings({ NODE_ENV: 'development', SSO_ALLOW_HTTP_LOCALHOST: true })).toEqual([])
	})
})

/** Runs limitBodySize on a stand-in request with just what it reads; a refusal is what it passes to next. */
function runLimitBodySize(headers: Record<string, string>) {
	const req = { get: (name: string) => headers[name.toLowerCase()] } as unknown as Request
	let outcome = { status: null as number | null, body: null as string | null, next: false }
	limitBodySize(MAX_BYTES)(req, {} as Response, (error?: unknown) => {
		outcome = error instanceof ClientError ? { status: error.status, body: error.message, next: false } : { status: null, body: null, next: true }
	})
	return outcome
}
