import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { getEnv } from '#app/utils/env.server.ts'
import { FREE_COURSE, fixtureOutline, formPost, lessonUrl } from '#tests/fixtures/learning.ts'
import { createSessionCookie, createUser, getRequest, routeContext } from '#tests/fixtures/users.ts'
import { reloadAppWith, startDatabaseProxy, throughProxy, timed, unusedPort } from '#tests/fixtures/database.ts'

/** Short limits, so an outage is answered quickly. */
const LIMITS = { DATABASE_CONNECT_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '1000', DATABASE_TRANSACTION_TIMEOUT_MS: '2000', DATABASE_POOL_SIZE: '2' }
/** Far above LIMITS, below a hang: a request that outlasts it fails its test. */
const OUTAGE_TEST_TIMEOUT_MS = 30_000

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

type Answer = { status: number; retryAfter: string | null; text: string }

/** What a loader or action answers, as a status: a value is 200, a Response its status, a thrown Response too. */
async function answerOf(work: () => Promise<unknown>): Promise<Answer & { ms: number }> {
	const outcome = await timed(work)
	const value = outcome.ok ? outcome.value : outcome.error
	if (value instanceof Response) return { status: value.status, retryAfter: value.headers.get('Retry-After'), text: await value.text(), ms: outcome.ms }
	if (!outcome.ok) throw outcome.error
	return { status: 200, retryAfter: null, text: '', ms: outcome.ms }
}

/** The app, loaded with `env`, as the server wraps it: every route's loader and action answers 503 while the database cannot serve. */
async function appWith(env: Record<string, string>) {
	const reloaded = await reloadAppWith(env)
	cleanups.push(reloaded.restore)
	const { withDatabaseOutageAnswer } = await import('#app/modules/db/availability.server.ts')
	const healthz = await import('#app/routes/healthz.ts')
	const root = await import('#app/root.tsx')
	const lesson = await import('#app/routes/courses.$courseSlug.$lessonSlug.tsx')
	const db = await import('#app/utils/db.server.ts')
	const firstLesson = (await fixtureOutline(FREE_COURSE)).find((item) => !item.hasQuiz)!
	const params = { courseSlug: FREE_COURSE, lessonSlug: firstLesson.slug }
	const url = lessonUrl(params.courseSlug, params.lessonSlug)
	return {
		db,
		health: () => answerOf(() => healthz.loader({ request: getRequest('/healthz'), params: {}, context: routeContext() })),
		/** The root loader reads the session, the lesson loader the learner's run and writes the resume point. */
		openLesson: (cookie: string) =>
			answerOf(async () => {
				const args = { request: getRequest(url, { cookie }), params, context: routeContext() }
				await Promise.all([withDatabaseOutageAnswer(root.loader)(args), withDatabaseOutageAnswer(lesson.loader)(args)])
			}),
		completeLesson: (cookie: string) =>
			answerOf(() => withDatabaseOutageAnswer(lesson.action)({ request: formPost(url, { intent: 'complete' }, { cookie }), params, context: routeContext() })),
	}
}

function expectUnavailable(answer: Answer) {
	expect(answer.status).toBe(503)
	expect(answer.retryAfter).toMatch(/^\d+$/)
	expect(answer.text).toMatch(/database is not reachable right now/)
}

if (process.env.DATABASE_URL) {
	describe('a PostgreSQL server that stops or goes silent', () => {
		async function setUp() {
			const server = new URL(getEnv().DATABASE_URL!)
			const proxy = await startDatabaseProxy({ host: server.hostname, port: Number(server.port || 5432) })
			cleanups.push(proxy.close)
			const app = await appWith({ ...LIMITS, DATABASE_URL: throughProxy(server.toString(), proxy.port) })
			const user = await createUser({ prefix: 'outage' })
			const { cookie } = await createSessionCookie(user.id)
			expect((await app.health()).status).toBe(200)
			expect((await app.openLesson(cookie)).status).toBe(200)
			return { proxy, app, cookie }
		}

		for (const mode of ['refuse', 'silent'] as const) {
			test(`${mode === 'refuse' ? 'stopped (connections refused)' : 'silent (the port accepts and never answers)'}: 503 with Retry-After, then recovery`, async () => {
				const { proxy, app, cookie } = await setUp()

				await proxy.setMode(mode)
				const health = await app.health()
				const page = await app.openLesson(cookie)
				const write = await app.completeLesson(cookie)

				expect(health.status).toBe(503)
				expectUnavailable(page)
				expectUnavailable(write)
				console.log(`PostgreSQL ${mode}: /healthz 503 in ${health.ms} ms, lesson page 503 in ${page.ms} ms, lesson write 503 in ${write.ms} ms (connect and statement limits 1000 ms)`)

				await proxy.setMode('forward')
				const recovered = await app.health()
				expect(recovered.status).toBe(200)
				expect((await app.openLesson(cookie)).status).toBe(200)
				expect((await app.completeLesson(cookie)).status).toBe(302)
				console.log(`PostgreSQL back: /healthz 200 in ${recovered.ms} ms`)
			}, OUTAGE_TEST_TIMEOUT_MS)
		}
	})
}

/**
 * Makes a data directory unwritable while PGlite has it open. chmod does not stop root, so as
 * root (tests in a container often are) the directory is moved away instead, the way a volume that
 * was unmounted or deleted looks; its open files stay writable either way, as in production.
 */
async function makeUnwritable(dataDir: string) {
	if (process.getuid?.() === 0) {
		await fs.rename(dataDir, `${dataDir}.moved`)
		return () => fs.rename(`${dataDir}.moved`, dataDir)
	}
	await chmodTree(dataDir, 0o555, 0o444)
	return () => chmodTree(dataDir, 0o755, 0o644)
}

async function chmodTree(directory: string, directoryMode: number, fileMode: number) {
	await fs.chmod(directory, directoryMode)
	for (const entry of await fs.readdir(directory, { withFileTypes: true })) {
		const full = path.join(directory, entry.name)
		if (entry.isDirectory()) await chmodTree(full, directoryMode, fileMode)
		else await fs.chmod(full, fileMode)
	}
}

async function tempDir() {
	const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'bulwark-outage-'))
	cleanups.push(async () => {
		await fs.chmod(directory, 0o755).catch(() => {})
		await fs.rm(directory, { recursive: true, force: true })
	})
	return directory
}

if (!process.env.DATABASE_URL) {
	describe('an embedded database whose data directory becomes unwritable', () => {
		test('/healthz fails and requests answer 503 or succeed, never 500; it recovers when the directory is writable again', async () => {
			const dataDir = path.join(await tempDir(), 'pglite')
			const app = await appWith({ PGLITE_DATA_DIR: dataDir })
			const { configuredMigrationDriver } = await import('#app/modules/db/migration-drivers.server.ts')
			const { applyMigrations } = await import('#app/modules/db/migrations.server.ts')
			const { createSession, SESSION_COOKIE_NAME } = await import('#app/modules/auth/session.server.ts')
			await applyMigrations(await configuredMigrationDriver())
			const user = await app.db.prisma.user.create({ data: { email: `outage-${Date.now()}@example.test`, name: 'Outage', passwordHash: 'unused' }, select: { id: true } })
			const cookie = `${SESSION_COOKIE_NAME}=${(await createSession(user.id, 'vitest')).token}`
			expect((await app.health()).status).toBe(200)
			expect((await app.openLesson(cookie)).status).toBe(200)

			const restore = await makeUnwritable(dataDir)
			const health = await app.health()
			const page = await app.openLesson(cookie)
			const write = await app.completeLesson(cookie)
			// A statement that needs a file PGlite has not opened yet (the comments catalogue) fails.
			const { withDatabaseOutageAnswer } = await import('#app/modules/db/availability.server.ts')
			const unopened = await answerOf(withDatabaseOutageAnswer(() => app.db.prisma.$queryRaw`SELECT count(*) FROM pg_catalog.pg_description`))
			await restore()

			expect(health.status).toBe(503)
			expectUnavailable(unopened)
			// PGlite still commits to the files it holds open; what needs a file it does not hold fails.
			for (const answer of [page, write]) {
				expect([200, 302, 503]).toContain(answer.status)
				if (answer.status === 503) expectUnavailable(answer)
			}
			console.log(`PGlite data directory unwritable (${process.getuid?.() === 0 ? 'moved away: running as root' : 'chmod a-w'}): /healthz ${health.status} in ${health.ms} ms, lesson page ${page.status} in ${page.ms} ms, lesson write ${write.status} in ${write.ms} ms`)
			expect((await app.health()).status).toBe(200)
			expect((await app.openLesson(cookie)).status).toBe(200)
			expect([200, 302]).toContain((await app.completeLesson(cookie)).status)
		}, OUTAGE_TEST_TIMEOUT_MS)
	})
}

/** Starts the server as `npm run dev` does, until it exits or starts listening; returns its exit code and output. */
async function startServer(env: Record<string, string>, { uid }: { uid?: number } = {}) {
	const child = spawn(path.resolve('node_modules/.bin/tsx'), ['server/index.ts'], {
		env: { ...process.env, NODE_ENV: 'development', PORT: String(await unusedPort()), ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
		...(uid === undefined ? {} : { uid, gid: uid }),
	})
	let output = ''
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
	return new Promise<{ code: number | null; output: string; ms: number }>((resolve) => {
		const started = performance.now()
		const finish = (code: number | null) => resolve({ code, output, ms: Math.round(performance.now() - started) })
		child.on('exit', finish)
		child.stdout.on('data', () => {
			if (/is listening/.test(output)) {
				child.kill()
				finish(null)
			}
		})
	})
}

/** A local TCP port that accepts connections and never answers: a network partition in front of a database. */
async function silentPort() {
	const sockets = new Set<net.Socket>()
	const server = net.createServer((socket) => {
		sockets.add(socket)
		socket.on('error', () => {})
	})
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	cleanups.push(async () => {
		for (const socket of sockets) socket.destroy()
		await new Promise<void>((resolve) => server.close(() => resolve()))
	})
	return (server.address() as net.AddressInfo).port
}

describe('start-up against a database that cannot serve', () => {
	for (const kind of ['silent', 'stopped'] as const) {
		test(`a ${kind} PostgreSQL server: the server exits with the cause and the fix`, async () => {
			const port = kind === 'silent' ? await silentPort() : await unusedPort()

			const { code, output, ms } = await startServer({ DATABASE_URL: `postgresql://bulwark@127.0.0.1:${port}/bulwark`, DATABASE_CONNECT_TIMEOUT_MS: '1000' })

			console.log(`Start-up against a ${kind} PostgreSQL port: exit ${code} after ${ms} ms`)
			expect(code).toBe(1)
			expect(output).toContain('Start-up refused: The PostgreSQL server in DATABASE_URL did not answer')
			expect(output).toContain(kind === 'silent' ? 'timeout' : 'ECONNREFUSED')
			expect(output).toContain('DATABASE_CONNECT_TIMEOUT_MS (now 1000 ms)')
		}, OUTAGE_TEST_TIMEOUT_MS)
	}

	test('a read-only embedded data directory: the server exits naming the directory and the fix', async () => {
		// chmod does not stop root: as root the server runs as the unprivileged user "nobody".
		const uid = process.getuid?.() === 0 ? 65534 : undefined
		const parent = await tempDir()
		const dataDir = path.join(parent, 'pglite')
		await fs.mkdir(dataDir)
		if (uid !== undefined) await Promise.all([fs.chown(parent, uid, uid), fs.chown(dataDir, uid, uid)])
		await fs.chmod(dataDir, 0o555)

		const { code, output } = await startServer({ PGLITE_DATA_DIR: dataDir, DATABASE_URL: '' }, { uid })

		expect(code).toBe(1)
		expect(output).toContain(`Start-up refused: The embedded database could not be opened: The embedded database's data directory ${dataDir} cannot be written (EACCES)`)
		expect(output).toContain('Give the user running Bulwark write access to it')
	}, OUTAGE_TEST_TIMEOUT_MS)

	test('an invalid setting stops the start with the list of problems and no stack trace', async () => {
		const { code, output } = await startServer({ NODE_ENV: 'production', ENCRYPTION_KEY: '', SMTP_URL: 'mail.example.com' })
		expect(code).toBe(1)
		expect(output).toContain('Start-up refused: Invalid environment variables:')
		expect(output).toContain('ENCRYPTION_KEY: ENCRYPTION_KEY is required in production')
		expect(output).toContain('SMTP_URL: SMTP_URL must be an smtp:// or smtps:// URL')
		expect(output).not.toMatch(/^\s+at /m)
	}, OUTAGE_TEST_TIMEOUT_MS)
})
