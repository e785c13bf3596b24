import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { median } from './support/median.ts'
import { childTarget, runOnEachDatabase, writeChildResult } from './support/each-database.ts'

/**
 * `npm run bench:compliance`: seeds an organisation of BENCH_MEMBERS (100,000) members in 20
 * departments with 10 requirements and three years of completion histories, then measures the
 * compliance dashboard loader, one page of the member table filtered by status and the full CSV
 * export, on PostgreSQL and on the embedded database (PGlite). The CSV is also measured at a
 * quarter and at half the members, while the organisation grows, to show its memory stays flat.
 *
 * The app picks its database from the environment on first use, so each database runs in a child
 * process of its own (this script again, with BENCH_COMPLIANCE_CHILD naming the database); the
 * parent prints one table. Exits 1 when a PostgreSQL target is missed.
 *
 *   BENCH_MEMBERS       members of the organisation (default 100000)
 *   BENCH_REPEAT        measured repetitions of each measurement after one warm-up (default 5)
 *   BENCH_POSTGRES_URL  the server a scratch database is created on (default postgresql://postgres@127.0.0.1:5432/test)
 *   BENCH_DATABASES     which to measure: postgres,pglite (default both)
 */

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000)
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 5))

const DASHBOARD_ROUTE = 'app/routes/org.$slug.compliance.tsx'
const CSV_ROUTE = 'app/routes/org.$slug.compliance[.csv].ts'

const TARGETS = { dashboardMs: 1000, tablePageMs: 200, csvMs: 10_000, csvHeapGrowth: 2 }

type Measured = { medianMs: number; maxMs: number; heapMB: number; rssMB: number }
type Row = Measured & { label: string; target: string; met: boolean | null; why?: string }
type ChildResult = {
	database: string
	memory: string
	seeding: { seconds: number; steps: string[]; members: number; requirementRows: number; completions: number; byStatus: Record<string, number> }
	via: { dashboard: string; table: string; csv: string }
	rows: Row[]
	notes: string[]
}

const MB = 1024 * 1024
const formatMB = (bytes: number) => (bytes / MB).toFixed(1)
const sizes = () => [Math.round(MEMBERS / 4), Math.round(MEMBERS / 2), MEMBERS]
const thousands = (value: number) => value.toLocaleString('en-GB')
const shortCount = (value: number) => (value % 1000 === 0 ? `${value / 1000}k` : thousands(value))

// ————————————————————————————————————————— child: one database —————————————————————————————————————————

/**
 * Runs `work` once to warm up, then REPEAT times (after a full GC each), sampling the process's
 * memory every 10 ms and whenever `work` calls `sample`. Memory is the peak over the value just
 * before the run: heapUsed (JS objects) and RSS (everything the process holds, for PGlite the
 * database's WebAssembly memory too).
 */
async function measure(repeat: number, work: (sample: () => void) => Promise<void>): Promise<Measured> {
	const collect = (globalThis as { gc?: () => void }).gc ?? (() => {})
	await work(() => {})
	const durations: number[] = []
	let heapPeak = 0
	let rssPeak = 0
	for (let run = 0; run < repeat; run++) {
		collect()
		const before = process.memoryUsage()
		let heap = before.heapUsed
		let rss = before.rss
		const sample = () => {
			const now = process.memoryUsage()
			heap = Math.max(heap, now.heapUsed)
			rss = Math.max(rss, now.rss)
		}
		const timer = setInterval(sample, 10)
		const started = performance.now()
		try {
			await work(sample)
		} finally {
			clearInterval(timer)
		}
		durations.push(performance.now() - started)
		sample()
		heapPeak = Math.max(heapPeak, heap - before.heapUsed)
		rssPeak = Math.max(rssPeak, rss - before.rss)
	}
	return { medianMs: median(durations), maxMs: Math.max(...durations), heapMB: heapPeak / MB, rssMB: rssPeak / MB }
}

/** Reads a CSV body to its end, counting bytes and records (CRLF-terminated, the header included), keeping nothing. */
async function drain(body: ReadableStream<Uint8Array>, sample: () => void) {
	const reader = body.getReader()
	let bytes = 0
	let lines = 0
	for (;;) {
		const { done, value } = await reader.read()
		if (done) break
		bytes += value.byteLength
		for (let at = value.indexOf(10); at !== -1; at = value.indexOf(10, at + 1)) lines++
		sample()
	}
	return { bytes, rows: lines - 1 }
}

async function importRoute(file: string) {
	return (await import(pathToFileURL(path.resolve(file)).href)) as { loader: (args: unknown) => Promise<unknown> }
}

/** What a loader answered: a Response (read to its end elsewhere) or data; a thrown one is an error here. */
async function callLoader(route: { loader: (args: unknown) => Promise<unknown> }, url: string, slug: string, cookie: string) {
	const request = new Request(new URL(url, 'http://localhost'), { headers: { Cookie: cookie } })
	let result: unknown
	try {
		result = await route.loader({ request, params: { slug }, context: { cspNonce: 'bench', clientIp: '127.0.0.1' } })
	} catch (thrown) {
		const status = thrown instanceof Response ? thrown.status : (thrown as { init?: { status?: number } })?.init?.status
		throw new Error(`The loader for ${url} threw${status ? ` status ${status}` : `: ${thrown instanceof Error ? thrown.message : String(thrown)}`}`)
	}
	const status = result instanceof Response ? result.status : ((result as { init?: { status?: number } | null })?.init?.status ?? 200)
	if (status !== 200) throw new Error(`The loader for ${url} answered ${status}`)
	return result
}

async function runChild(target: 'postgres' | 'pglite') {
	const label = target === 'postgres' ? 'PostgreSQL' : 'PGlite'
	const log = (message: string) => console.log(`[${label}] ${message}`)
	const { configuredMigrationDriver } = await import('#app/modules/db/migration-drivers.server.ts')
	const { applyMigrations } = await import('#app/modules/db/migrations.server.ts')
	const { disconnectDatabase, getEmbeddedDatabase } = await import('#app/utils/db.server.ts')
	const { getCourseLibrary } = await import('#app/modules/courses/course-library.server.ts')
	const seed = await import('./support/compliance-seed.ts')

	await applyMigrations(await configuredMigrationDriver())
	let closeRunner = async () => {}
	let runner: import('./support/compliance-seed.ts').SqlRunner
	if (target === 'postgres') {
		const { default: pg } = await import('pg')
		const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
		await client.connect()
		runner = { query: (sql, params) => client.query(sql, params) }
		closeRunner = () => client.end()
	} else {
		const embedded = getEmbeddedDatabase()
		runner = { query: (sql, params) => embedded.query(sql, params) }
	}
	const version = ((await runner.query('SELECT version() AS version')).rows[0] as { version: string }).version.split(' on ')[0]!.split(',')[0]!

	const library = await getCourseLibrary()
	const { courses, madeUp } = seed.pickCourses(library.courses.map((course) => ({ slug: course.slug, title: course.variants.en.title })))
	const notes: string[] = []
	if (madeUp > 0) {
		notes.push(
			`courses/ holds ${library.courses.length} course${library.courses.length === 1 ? '' : 's'} (${library.courses.map((course) => course.slug).join(', ')}); ` +
				`${madeUp} of the 10 requirements use made-up slugs, whose titles show as the slug.`,
		)
	}

	const rows: Row[] = []
	const steps: string[] = []
	const at = new Date()
	const seedStarted = performance.now()
	let seedSeconds = 0
	const timed = async <T>(what: string, work: () => Promise<T>) => {
		const started = performance.now()
		const result = await work()
		const seconds = (performance.now() - started) / 1000
		seedSeconds += seconds
		steps.push(`${what} ${seconds.toFixed(1)} s`)
		log(`${what}: ${seconds.toFixed(1)} s`)
		return result
	}

	const csvRoute = await importRoute(CSV_ROUTE)
	let organisation: import('./support/compliance-seed.ts').SeedOrganisation | undefined
	let cookie = ''
	const scope = () => ({ organisationId: organisation!.id, departmentIds: null })
	const exportCsv = async (sample: () => void) => {
		const response = (await callLoader(csvRoute, `/org/${organisation!.slug}/compliance.csv`, organisation!.slug, cookie)) as Response
		return drain(response.body!, sample)
	}
	const measureCsv = async (members: number) => {
		let last = { bytes: 0, rows: 0 }
		const measured = await measure(REPEAT, async (sample) => {
			last = await exportCsv(sample)
		})
		log(`CSV at ${thousands(members)} members: median ${Math.round(measured.medianMs)} ms, ${thousands(last.rows)} rows, ${formatMB(last.bytes)} MB, peak heap Δ ${measured.heapMB.toFixed(1)} MB`)
		return { measured, ...last }
	}

	const restoreTriggers = await seed.withoutTriggers(runner)
	try {
		organisation = await timed('organisation, departments, requirements', () => seed.seedOrganisation(runner, { at, courses }))
	} finally {
		await restoreTriggers()
	}
	const { createSession, SESSION_COOKIE_NAME } = await import('#app/modules/auth/session.server.ts')
	cookie = `${SESSION_COOKIE_NAME}=${(await createSession(organisation.adminUserId, 'bench-compliance')).token}`

	const csvBySize: { members: number; measured: Measured; bytes: number; rows: number }[] = []
	let seeded = 0
	for (const size of sizes()) {
		const restore = await seed.withoutTriggers(runner)
		try {
			await timed(`members ${thousands(seeded + 1)}–${thousands(size)} with completions`, () =>
				seed.seedMembers(runner, organisation!, { from: seeded + 1, to: size, at, courses }),
			)
			await timed(`state rebuilt for ${thousands(size)} members`, () => seed.refreshCompliance(runner, organisation!))
		} finally {
			await restore()
		}
		// What autovacuum does on a server soon after a bulk change: dead rows of the rebuild gone, statistics fresh.
		await timed('VACUUM ANALYZE', () => runner.query('VACUUM ANALYZE'))
		seeded = size
		if (size === MEMBERS) await timed('365 daily snapshots', () => seed.seedSnapshots(runner, organisation!, at))
		log(`measuring the CSV export at ${thousands(size)} members`)
		csvBySize.push({ members: size, ...(await measureCsv(size)) })
	}
	const description = await seed.describeSeed(runner, organisation, at)
	log(`seeded in ${seedSeconds.toFixed(1)} s (wall ${((performance.now() - seedStarted) / 1000).toFixed(1)} s with the measurements between): ` +
		`${thousands(description.requirementRows)} member-requirement rows, ${thousands(description.completions)} completions, members by status ${JSON.stringify(description.byStatus)}`)

	// The dashboard loader.
	const dashboardRoute = await importRoute(DASHBOARD_ROUTE)
	log('measuring the dashboard loader')
	const dashboard = await measure(REPEAT, async () => {
		await callLoader(dashboardRoute, `/org/${organisation!.slug}/compliance`, organisation!.slug, cookie)
	})
	rows.push({
		label: 'Dashboard loader',
		...dashboard,
		target: `< ${TARGETS.dashboardMs} ms`,
		met: dashboard.medianMs < TARGETS.dashboardMs,
		why: `the dashboard took ${Math.round(dashboard.medianMs)} ms (median), over ${TARGETS.dashboardMs} ms`,
	})

	// The same loader for the filtered table page the user asks for (dashboard and table in one).
	log('measuring the dashboard loader with ?status=OVERDUE&page=3')
	const filtered = await measure(REPEAT, async () => {
		await callLoader(dashboardRoute, `/org/${organisation!.slug}/compliance?status=OVERDUE&sort=status&page=3`, organisation!.slug, cookie)
	})
	rows.push({
		label: 'Dashboard loader, ?status=OVERDUE&page=3',
		...filtered,
		target: `< ${TARGETS.dashboardMs} ms`,
		met: filtered.medianMs < TARGETS.dashboardMs,
		why: `the dashboard with the status filter took ${Math.round(filtered.medianMs)} ms (median), over ${TARGETS.dashboardMs} ms`,
	})

	// One page of the member table: the statement the loader runs for it, on its own.
	const { listComplianceMembers } = await import('#app/modules/compliance/report.server.ts')
	log('measuring a page of the member table (overdue, by status, page 3)')
	let tableTotal = 0
	const table = await measure(REPEAT, async () => {
		const page = await listComplianceMembers(scope(), { q: '', status: 'OVERDUE', sort: 'status', page: 3 })
		if (page.members.length === 0) throw new Error('Page 3 of the overdue members is empty: the seed made too few overdue members')
		tableTotal = page.total
	})
	rows.push({
		label: `Table page (status filter: ${thousands(tableTotal)} overdue, page 3)`,
		...table,
		target: `< ${TARGETS.tablePageMs} ms`,
		met: table.medianMs < TARGETS.tablePageMs,
		why: `a page of the member table took ${Math.round(table.medianMs)} ms (median), over ${TARGETS.tablePageMs} ms`,
	})

	// The CSV exports, the full one first.
	const quarter = csvBySize[0]!
	for (const entry of [...csvBySize].reverse()) {
		const full = entry.members === MEMBERS
		const growth = quarter.measured.heapMB > 0 ? entry.measured.heapMB / quarter.measured.heapMB : 1
		const flat = entry.measured.heapMB <= TARGETS.csvHeapGrowth * quarter.measured.heapMB
		rows.push({
			label: `CSV export (${shortCount(entry.members)} members, ${thousands(entry.rows)} rows, ${formatMB(entry.bytes)} MB)`,
			...entry.measured,
			target: full ? `< ${TARGETS.csvMs / 1000} s, heap Δ ≤ ${TARGETS.csvHeapGrowth}× the ${shortCount(quarter.members)} run's` : entry === quarter ? 'memory baseline' : '',
			met: full ? entry.measured.medianMs < TARGETS.csvMs && flat : null,
			why: full
				? [
						entry.measured.medianMs >= TARGETS.csvMs ? `the CSV export took ${(entry.measured.medianMs / 1000).toFixed(1)} s (median), over ${TARGETS.csvMs / 1000} s` : '',
						flat ? '' : `the CSV's peak heap grew ${growth.toFixed(1)}× from ${shortCount(quarter.members)} to ${shortCount(entry.members)} members (${quarter.measured.heapMB.toFixed(1)} → ${entry.measured.heapMB.toFixed(1)} MB)`,
					]
						.filter(Boolean)
						.join('; ')
				: undefined,
		})
	}

	await closeRunner()
	await disconnectDatabase()
	const result: ChildResult = {
		database: target === 'postgres' ? version : `PGlite (${version}, WebAssembly, in the app's process)`,
		memory:
			target === 'postgres'
				? "Memory is the app process's (Node); the database server's is not counted."
				: "Memory is the app process's, which holds the database too: RSS includes PGlite's WebAssembly memory (it never shrinks, so only new growth shows), heap is the JavaScript objects only.",
		seeding: { seconds: seedSeconds, steps, members: MEMBERS, ...description },
		via: {
			dashboard: `route loader ${DASHBOARD_ROUTE} (overview and page 1 of the member table, session check included)`,
			table: "listComplianceMembers(scope, { q: '', status: 'OVERDUE', sort: 'status', page: 3 }), the statement the loader runs for the table",
			csv: `route loader ${CSV_ROUTE}, body read to its end`,
		},
		rows,
		notes,
	}
	writeChildResult(result)
}

// ————————————————————————————————————————— parent: both databases —————————————————————————————————————————

const cell = (met: boolean | null, database: string) => (met === null ? '' : met ? 'yes' : database === 'PostgreSQL' ? '**no**' : 'no')

function printTables(results: { name: string; result: ChildResult }[]) {
	const header = '| Measurement | Median (ms) | Max (ms) | Peak heap Δ (MB) | Peak RSS Δ (MB) | Target | Met? |\n| --- | ---: | ---: | ---: | ---: | --- | --- |'
	const line = (row: Row, name: string) =>
		`| ${row.label} | ${Math.round(row.medianMs)} | ${Math.round(row.maxMs)} | ${row.heapMB.toFixed(1)} | ${row.rssMB.toFixed(1)} | ${row.target} | ${cell(row.met, name)} |`
	for (const { name, result } of results) {
		const seeding = result.seeding
		console.log(`\n${name}: ${result.database}\n`)
		console.log(`Seeded ${thousands(seeding.members)} members, ${thousands(seeding.requirementRows)} member-requirement rows, ${thousands(seeding.completions)} completions in ${seeding.seconds.toFixed(1)} s`)
		console.log(`  (${seeding.steps.join('; ')})`)
		console.log(`  Members by status: ${Object.entries(seeding.byStatus).map(([status, count]) => `${status.toLowerCase()} ${thousands(count)}`).join(', ')}`)
		console.log(`  Dashboard: ${result.via.dashboard}\n  Table: ${result.via.table}\n  CSV: ${result.via.csv}\n  ${result.memory}`)
		for (const note of result.notes) console.log(`  Note: ${note}`)
		console.log(`\n${header}`)
		for (const row of result.rows) console.log(line(row, name))
	}
	console.log(`\nCombined (median and max of ${REPEAT} runs after one warm-up; targets apply to PostgreSQL):\n`)
	console.log('| Database | Measurement | Median (ms) | Max (ms) | Peak heap Δ (MB) | Peak RSS Δ (MB) | Target | Met? |')
	console.log('| --- | --- | ---: | ---: | ---: | ---: | --- | --- |')
	for (const { name, result } of results) {
		for (const row of result.rows) console.log(`| ${name} |${line(row, name).slice(1)}`)
	}
}

async function runParent() {
	console.log(`Compliance benchmark: ${thousands(MEMBERS)} members, ${REPEAT} runs of each after one warm-up, ${os.cpus().length} CPUs, Node ${process.version}`)
	const { results, failed } = await runOnEachDatabase<ChildResult>({
		name: 'compliance',
		script: 'scripts/bench-compliance.ts',
		nodeOptions: ['--expose-gc'],
		// Production reads the compiled course library; compile it once, into the scratch directory.
		prepare: async (scratch) => {
			const { compileCourseLibrary, writeCourseManifest } = await import('#app/modules/courses/course-library.server.ts')
			const { courses } = await compileCourseLibrary(path.resolve('courses'))
			const manifest = path.join(scratch, 'manifest.json')
			await writeCourseManifest(courses, manifest)
			return { COURSE_MANIFEST: manifest }
		},
	})

	printTables(results)
	const postgres = results.find((entry) => entry.name === 'PostgreSQL')
	const missed = postgres?.result.rows.filter((row) => row.met === false) ?? []
	if (postgres) {
		console.log(missed.length === 0 ? '\nPostgreSQL: every target met.' : `\nPostgreSQL targets MISSED:\n${missed.map((row) => `  - ${row.why}`).join('\n')}`)
	}
	process.exitCode = failed || missed.length > 0 ? 1 : 0
}

const child = childTarget()
if (child) await runChild(child)
else await runParent()
