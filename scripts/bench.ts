import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { readCourseSources } from '#app/modules/courses/course-source.server.ts'
import { median } from './support/median.ts'
import { requireProductionBuild, signUp, startProductionServer } from './support/production-server.ts'
import { createScratchDatabase } from './support/scratch-postgres.ts'

/**
 * `npm run bench`: serves the production build and measures, in one run, a signed-in lesson page,
 * the catalogue and the app's bare floor route with autocannon: on the embedded database, and on
 * PostgreSQL too when BENCH_POSTGRES_URL names a server (a scratch database is created and dropped).
 * Target: the lesson page at ≥ 60 % of the floor's throughput. Exits 1 when it is missed.
 *
 * This machine's speed drifts by tens of percent within a minute, so the routes are measured in
 * turns, several rounds each, and every row reports its median round: a ratio then compares
 * routes measured side by side rather than a minute apart.
 */

const PORT = Number(process.env.BENCH_PORT ?? 3456)
const ORIGIN = `http://localhost:${PORT}`
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const TARGET_RATIO = 0.6

requireProductionBuild()

type Route = { name: string; path: string; cookie: string | null }
type Row = { name: string; path: string; signedIn: boolean; requestsPerSecond: number; p50: number; p99: number; errors: number }


function run(route: Route, duration: number) {
	return autocannon({ url: `${ORIGIN}${route.path}`, connections: CONNECTIONS, duration, headers: route.cookie ? { Cookie: route.cookie } : undefined })
}

/** Every route warmed up (so each is measured on a JIT-warmed server), then measured in turns. */
async function measure(routes: Route[]): Promise<Row[]> {
	for (const route of routes) await run(route, 2)
	const rounds = routes.map(() => [] as autocannon.Result[])
	for (let round = 0; round < ROUNDS; round++) {
		for (const [index, route] of routes.entries()) rounds[index]!.push(await run(route, DURATION_SECONDS))
	}
	return routes.map((route, index) => {
		const results = rounds[index]!
		return {
			name: route.name,
			path: route.path,
			signedIn: Boolean(route.cookie),
			requestsPerSecond: median(results.map((result) => result.requests.average)),
			p50: median(results.map((result) => result.latency.p50)),
			p99: median(results.map((result) => result.latency.p99)),
			errors: results.reduce((sum, result) => sum + result.errors + result.timeouts + result.non2xx, 0),
		}
	})
}

async function runMigrations(databaseUrl: string) {
	const child = spawn('npx', ['tsx', 'scripts/db-migrate.ts'], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: 'ignore' })
	const code = await new Promise((resolve) => child.on('close', resolve))
	if (code !== 0) throw new Error('Migrating the benchmark database failed')
}

/** Starts the production server on `database`, measures the four rows, stops it. */
async function benchmark(lessonPath: string, database: Record<string, string>) {
	const { stop } = await startProductionServer(PORT, database)
	try {
		const cookie = await signUp(ORIGIN, { name: 'Bench Learner', email: 'bench-learner@example.test', password: 'quiet harbour lantern seventeen' })
		// The first visit records the resume point; the measured ones only read.
		const first = await fetch(`${ORIGIN}${lessonPath}`, { headers: { Cookie: cookie } })
		if (first.status !== 200) throw new Error(`${lessonPath} answered ${first.status}`)
		return await measure([
			{ name: 'Floor: bare route', path: '/bench/floor', cookie: null },
			{ name: 'Floor: bare route', path: '/bench/floor', cookie },
			{ name: 'Catalogue', path: '/courses', cookie },
			{ name: 'Lesson page', path: lessonPath, cookie },
		])
	} finally {
		await stop()
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

console.log(
	`Benchmark: production build, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_SECONDS} s per route (the median round is shown), ` +
		`${os.cpus().length} CPUs (autocannon on the same machine)`,
)
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
