import type { ServerBuild } from '@remix-run/node'
import { describe, expect, test } from 'vitest'
import { answerDatabaseOutages, isDatabaseUnavailable } from './availability.server.ts'

/** A build with one route whose loader and action do what they are given. */
function buildWith(loader: () => Promise<unknown>) {
	const route = { id: 'routes/page', path: 'page', module: { loader, action: loader, default: () => null } }
	return { routes: { [route.id]: route } } as unknown as ServerBuild
}

const args = { request: new Request('http://localhost/page'), params: {}, context: { cspNonce: 'test', clientIp: '127.0.0.1' } }

async function thrown(work: () => unknown) {
	try {
		await work()
	} catch (error) {
		return error
	}
	throw new Error('Expected it to throw')
}

describe('answerDatabaseOutages', () => {
	test('a loader or action failing on the database throws a readable 503 with Retry-After', async () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
		const route = answerDatabaseOutages(buildWith(() => Promise.reject(refused))).routes['routes/page']!

		for (const handler of [route.module.loader!, route.module.action!]) {
			const response = (await thrown(() => handler(args))) as Response
			expect(response).toBeInstanceOf(Response)
			expect(response.status).toBe(503)
			expect(response.headers.get('Retry-After')).toBe('30')
			// `{ message }`, the shape every thrown answer has, which the error boundary shows.
			expect(await response.json()).toEqual({ message: 'The database is not reachable right now; try again in a minute.' })
		}
	})

	test('other errors, thrown responses and answers pass through unchanged', async () => {
		const bug = new TypeError('x is undefined')
		const notFound = new Response('Not found', { status: 404 })
		const answer = { ok: true }

		expect(await thrown(() => answerDatabaseOutages(buildWith(() => Promise.reject(bug))).routes['routes/page']!.module.loader!(args))).toBe(bug)
		expect(await thrown(() => answerDatabaseOutages(buildWith(() => Promise.reject(notFound))).routes['routes/page']!.module.loader!(args))).toBe(notFound)
		expect(await answerDatabaseOutages(buildWith(() => Promise.resolve(answer))).routes['routes/page']!.module.loader!(args)).toBe(answer)
	})

	test('wraps a build once', () => {
		const build = buildWith(() => Promise.resolve(null))
		expect(answerDatabaseOutages(build)).toBe(answerDatabaseOutages(build))
	})
})

describe('isDatabaseUnavailable', () => {
	test('recognises the failure in what an error wraps, and nothing else', () => {
		const prismaLike = Object.assign(new Error('Raw query failed'), { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', code: '58P01' } } } })
		expect(isDatabaseUnavailable(prismaLike)).toBe(true)
		expect(isDatabaseUnavailable(new Error('outer', { cause: new Error('timeout exceeded when trying to connect') }))).toBe(true)
		expect(isDatabaseUnavailable(Object.assign(new Error('duplicate'), { code: 'P2002' }))).toBe(false)
		expect(isDatabaseUnavailable(Object.assign(new Error('syntax'), { code: '42601' }))).toBe(false)
		expect(isDatabaseUnavailable(null)).toBe(false)
	})
})
