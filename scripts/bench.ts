import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { readCourseSources } from '#app/modules/courses/course-source.server.ts'
import { createScratchDatabase } from './support/scratch-postgres.ts'

/**
 * `npm run bench`: serves the production build and measures, in one run, a signed-in lesson page,
 * the catalogue and the app's bare floor route with autocannon: on the embedded database, and on
 * PostgreSQL too when BENCH_POSTGRES_URL names a server (a scratch database is created and dropped).
 * Target: the lesson page at ≥ 60 % of the floor's throughput. Exits 1 when it is missed.
 */

const PORT = Number(process.env.BENCH_PORT ?? 3456)
const ORIGIN = `http://localhost:${PORT}`
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10)
const TARGET_RATIO = 0.6

if (!existsSync('server-build/index.js') || !existsSync('build/courses/manifest.json')) {
	console.error('No production build: run `npm run build` first (`npm run bench` does).')
	process.exit(2)
}

async function waitForServer(server: ChildProcess) {
	for (let attempt = 0; attempt < 150; attempt++) {
		if (server.exitCode !== null) throw new Error(`The server exited with code ${server.exitCode}`)
		try {
			if ((await fetch(`${ORIGIN}/healthz`)).ok) return
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200))
	}
	throw new Error('The server did not answer /healthz within 30 s')
}

async function signUpBenchLearner() {
	const response = await fetch(`${ORIGIN}/signup`, {
		method: 'POST',
		redirect: 'manual',
		headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ name: 'Bench Learner', email: 'bench-learner@example.test', password: 'quiet harbour lantern seventeen' }),
	})
	const cookie = response.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ')
	if (response.status !== 302 || !cookie) throw new Error(`Sign-up for the benchmark failed with status ${response.status}`)
	return cookie
}

type Row = { name: string; path: string; signedIn: boolean; requestsPerSecond: number; p50: number; p99: number; errors: number }

async function measure(name: string, urlPath: string, cookie: string | null): Promise<Row> {
	const options = { url: `${ORIGIN}${urlPath}`, connections: CONNECTIONS, headers: cookie ? { Cookie: cookie } : undefined }
	// A short warm-up first, so every row is measured on a JIT-warmed server.
	await autocannon({ ...options, duration: 2 })
	const result = await autocannon({ ...options, duration: DURATION_SECONDS })
	return {
		name,
		path: urlPath,
		signedIn: Boolean(cookie),
		requestsPerSecond: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		errors: result.errors + result.timeouts + result.non2xx,
	}
}

async function runMigrations(databaseUrl: string) {
	const child = spawn('npx', ['tsx', 'scripts/db-migrate.ts'], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: 'ignore' })
	const code = await new Promise((resolve) => child.on('close', resolve))
	if (code !== 0) throw new Error('Migrating the benchmark database failed')
}

/** Starts the production server on `database`, measures the four rows, stops it. */
async function benchmark(lessonPath: string, database: Record<string, string>) {
	const server = spawn(process.execPath, ['server-build/index.js'], {
		env: { ...process.env, NODE_ENV: 'production', PORT: String(PORT), SMTP_URL: '', ...database },
		stdio: ['ignore', 'ignore', 'inherit'],
	})
	try {
		await waitForServer(server)
		const cookie = await signUpBenchLearner()
		// The first visit records the resume point; the measured ones only read.
		const first = await fetch(`${ORIGIN}${lessonPath}`, { headers: { Cookie: cookie } })
		if (first.status !== 200) throw new Error(`${lessonPath} answered ${first.status}`)
		return [
			await measure('Floor: bare route', '/bench/floor', null),
			await measure('Floor: bare route', '/bench/floor', cookie),
			await measure('Catalogue', '/courses', cookie),
			await measure('Lesson page', lessonPath, cookie),
		]
	} finally {
		server.kill('SIGTERM')
		await new Promise((resolve) => server.once('exit', resolve))
	}
}

const percent = (value: number) => `${Math.round(value * 100)} %`

/** Prints the table; true when the lesson page meets the target against the floor. */
function report(title: string, rows: Row[]) {
	const [anonymousFloor, signedInFloor, , lesson] = rows as [Row, Row, Row, Row]
	console.log(`\n${title}\n`)
	console.log('| Route | Signed in | Requests/s | p50 (ms) | p99 (ms) | vs floor | vs floor, same session | Errors |')
	console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |')
	for (const row of rows) {
		console.log(
			`| ${row.name} \`${row.path}\` | ${row.signedIn ? 'yes' : 'no'} | ${Math.round(row.requestsPerSecond)} | ${row.p50} | ${row.p99} | ` +
				`${percent(row.requestsPerSecond / anonymousFloor.requestsPerSecond)} | ${row.signedIn ? percent(row.requestsPerSecond / signedInFloor.requestsPerSecond) : ''} | ${row.errors} |`,
		)
	}
	const ratio = lesson.requestsPerSecond / anonymousFloor.requestsPerSecond
	const sameSession = lesson.requestsPerSecond / signedInFloor.requestsPerSecond
	const met = ratio >= TARGET_RATIO && rows.every((row) => row.errors === 0)
	console.log(
		`\nLesson page / floor: ${percent(ratio)} (target ≥ ${percent(TARGET_RATIO)}): ${met ? 'met' : 'MISSED'}. ` +
			`Against the floor requested with the same session: ${percent(sameSession)}.`,
	)
	return met
}

const { courses } = await readCourseSources(path.resolve('courses'))
const course = courses.find((entry) => entry.facts.free) ?? courses[0]
const lesson = course?.variants.en.lessons.find((entry) => !entry.quiz)
if (!course || !lesson) throw new Error('The benchmark needs a course with a lesson in courses/')
const lessonPath = `/courses/${course.slug}/${lesson.slug}`

console.log(`Benchmark: production build, ${CONNECTIONS} connections, ${DURATION_SECONDS} s per route, ${os.cpus().length} CPUs (autocannon on the same machine)`)
const results: boolean[] = []

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-'))
try {
	const rows = await benchmark(lessonPath, { DATABASE_URL: '', PGLITE_DATA_DIR: path.join(dataDir, 'pglite') })
	results.push(report('Embedded database (PGlite)', rows))
} finally {
	rmSync(dataDir, { recursive: true, force: true })
}

if (process.env.BENCH_POSTGRES_URL) {
	const database = await createScratchDatabase(new URL(process.env.BENCH_POSTGRES_URL), 'bulwark_bench')
	try {
		await runMigrations(database.url)
		results.push(report('PostgreSQL', await benchmark(lessonPath, { DATABASE_URL: database.url })))
	} finally {
		await database.drop()
	}
} else {
	console.log('\n(Set BENCH_POSTGRES_URL=postgresql://… to measure on PostgreSQL as well.)')
}
process.exitCode = results.every(Boolean) ? 0 : 1
