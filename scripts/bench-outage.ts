import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { postgresMigrationDriver } from '#app/modules/db/migration-drivers.server.ts'
import { applyMigrations } from '#app/modules/db/migrations.server.ts'
import { type ProxyMode, startDatabaseProxy, throughProxy, unusedPort } from './support/database-proxy.ts'
import { median } from './support/median.ts'
import { createScratchDatabase } from './support/scratch-postgres.ts'

/**
 * `npm run bench:outage`: how fast the app answers while its PostgreSQL server is stopped or silent,
 * and how soon it serves again once the server is back. It starts the server as `npm run dev`
 * does (or, with BENCH_OUTAGE_BUILD=1, the production build `npm start` serves), on a scratch database reached through a TCP proxy this script controls (the machine's
 * PostgreSQL is never touched), and requests a database-bound page, its `.data` request and
 * `/healthz` in each state.
 *
 *   BENCH_POSTGRES_URL  the server a scratch database is created on (default postgresql://postgres@127.0.0.1:5432/test)
 *   BENCH_REPEAT        requests per URL and state (default 5)
 *   BENCH_OUTAGE_BUILD  1: the production build (run `npm run build` first); else the dev server
 *   DATABASE_*          the limits under test (docs/decisions/018); unset, the defaults
 */

const POSTGRES_SERVER = new URL(process.env.BENCH_POSTGRES_URL || 'postgresql://postgres@127.0.0.1:5432/test')
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 5))
// Any well-formed code: unknown, so the page answers 404 after reading the database.
const CERTIFICATE = '0000-0000-0000-0000-0000'
const PRODUCTION = process.env.BENCH_OUTAGE_BUILD === '1'
const URLS = { page: `/verify/${CERTIFICATE}`, data: `/verify/${CERTIFICATE}.data`, healthz: '/healthz' }

function startApp(env: Record<string, string>) {
	const [command, script] = PRODUCTION ? [process.execPath, 'server-build/index.js'] : ['node_modules/.bin/tsx', 'server/index.ts']
	const child = spawn(command, [script], { env: { ...process.env, NODE_ENV: PRODUCTION ? 'production' : 'development', ENCRYPTION_KEY: 'benchmark-only-encryption-key-0123456789', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
	let log = ''
	child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()))
	child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
	const listening = new Promise<void>((resolve, reject) => {
		child.stdout.on('data', () => /is listening/.test(log) && resolve())
		child.on('exit', (code) => reject(new Error(`The server exited (${code}):\n${log}`)))
	})
	return { listening, stop: () => child.pid && process.kill(-child.pid, 'SIGKILL'), log: () => log }
}

// The error page as a person sees it: the boundary's heading and the message under it (the
// message alone also stands in the page's serialised data, which nobody reads).
const SHOWN_MESSAGE = /Temporarily unavailable<\/h1><p>The database is not reachable right now/

async function request(origin: string, pathname: string) {
	const started = performance.now()
	const response = await fetch(`${origin}${pathname}`, { signal: AbortSignal.timeout(120_000) })
	const body = await response.text()
	return { status: response.status, retryAfter: response.headers.get('Retry-After'), ms: performance.now() - started, readable: SHOWN_MESSAGE.test(body) }
}

const database = await createScratchDatabase(POSTGRES_SERVER, 'bulwark_outage')
const proxy = await startDatabaseProxy({ host: POSTGRES_SERVER.hostname, port: Number(POSTGRES_SERVER.port || 5432) })
let app: ReturnType<typeof startApp> | undefined
try {
	await applyMigrations(postgresMigrationDriver(database.url))
	const port = await unusedPort()
	app = startApp({ DATABASE_URL: throughProxy(database.url, proxy.port), PORT: String(port) })
	await app.listening
	const origin = `http://127.0.0.1:${port}`
	const limits = ['DATABASE_POOL_SIZE', 'DATABASE_CONNECT_TIMEOUT_MS', 'DATABASE_STATEMENT_TIMEOUT_MS', 'DATABASE_TRANSACTION_TIMEOUT_MS']
		.map((name) => `${name}=${process.env[name] ?? 'default'}`)
		.join(' ')
	console.log(`Outage latency of the ${PRODUCTION ? 'production build' : 'dev server'} on PostgreSQL through a proxy, ${REPEAT} requests per URL and state (${limits})`)
	for (const pathname of Object.values(URLS)) await request(origin, pathname) // compile the routes once

	const rows: string[] = []
	for (const [label, mode] of [
		['serving', 'forward'],
		['stopped', 'refuse'],
		['back after stopped', 'forward'],
		['silent', 'silent'],
		['back after silent', 'forward'],
	] as [string, ProxyMode][]) {
		const changed = performance.now()
		await proxy.setMode(mode)
		for (const [name, pathname] of Object.entries(URLS)) {
			const answers = []
			for (let index = 0; index < REPEAT; index++) answers.push(await request(origin, pathname))
			const statuses = [...new Set(answers.map((answer) => answer.status))].join('/')
			const retry = answers.every((answer) => answer.status !== 503 || answer.retryAfter) ? '' : ' (503 without Retry-After!)'
			const readable = name === 'page' && answers.some((answer) => answer.status === 503) ? (answers.every((answer) => answer.status !== 503 || answer.readable) ? ', readable' : ', NOT readable') : ''
			rows.push(
				`${label.padEnd(20)} ${name.padEnd(8)} ${statuses.padEnd(8)} median ${median(answers.map((answer) => answer.ms)).toFixed(0).padStart(6)} ms  max ${Math.max(...answers.map((answer) => answer.ms)).toFixed(0).padStart(6)} ms${retry}${readable}`,
			)
		}
		rows.push(`${''.padEnd(20)} (state held ${((performance.now() - changed) / 1000).toFixed(1)} s)`)
	}
	console.log(rows.join('\n'))
} catch (error) {
	console.error(error)
	if (app) console.error(app.log())
	process.exitCode = 1
} finally {
	app?.stop()
	await proxy.close()
	await database.drop()
}
