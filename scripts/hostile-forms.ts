import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readCourseSources } from '#app/modules/courses/course-source.server.ts'
import { appRoutes, fillPath, hostileForms } from '#tests/fixtures/app-routes.ts'
import { fetchPastReset, logIn, postForm, requireProductionBuild, signUp, startProductionServer } from './support/production-server.ts'

/**
 * `npm run bench:hostile-forms`: serves the production build on a fresh embedded database and
 * posts every hostile body of the shared hostile-form test to every form of the app (found in
 * app/routes), as the admin of an organisation with a quiz open, or anonymously where a signed-in
 * visitor is sent away. Prints each answer and the server's memory: its resident set before, the
 * peak while the bodies arrive (sampled, and the kernel's high-water mark), and after.
 * Exits 1 when a body over the limits is not refused with a 4xx, an answer is a 5xx or over
 * 200 KB, or the server stops answering.
 */

const PORT = Number(process.env.BENCH_PORT ?? 3457)
const MAX_ANSWER_BYTES = 200 * 1024
/** The request that once took the server past 4 GB and down (issue 11). */
const ISSUE_BODY = 'email=probe%40example.test&password=violet-harbour-lantern-42&name%5B99999999%5D=x'

requireProductionBuild()

const megabytes = (kilobytes: number) => `${Math.round(kilobytes / 1024)} MB`
const memoryOf = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-hostile-'))
const { server, origin, stop } = await startProductionServer(PORT, { DATABASE_URL: '', PGLITE_DATA_DIR: path.join(dataDir, 'pglite') })
const pid = server.pid!
let failed = false
try {
	const admin = { name: 'Hostile Admin', email: 'hostile-admin@example.test', password: 'quiet harbour lantern seventeen' }
	let cookie = await signUp(origin, admin)
	const created = await postForm(origin, '/orgs/new', new URLSearchParams({ name: 'Hostile Forms Ltd' }), cookie)
	const slug = /^\/org\/([^/]+)/.exec(created.headers.get('Location') ?? '')?.[1]
	if (!slug) throw new Error(`Creating the organisation answered ${created.status}`)
	const invited = await postForm(origin, `/org/${slug}/invitations`, new URLSearchParams({ intent: 'invite', email: 'invitee@example.test', role: 'LEARNER', departmentId: '' }), cookie)
	const token = /\/invitations\/([A-Za-z0-9_-]{20,})/.exec(await invited.text())?.[1]
	if (!token) throw new Error(`Inviting answered ${invited.status} without a link`)
	const { courses } = await readCourseSources(path.resolve('courses'))
	const course = courses.find((entry) => entry.facts.free)!
	const courseSlug = course.slug
	const lessonSlug = course.variants.en.lessons.find((lesson) => lesson.quiz)!.slug
	// Opening the quiz lesson opens an attempt, so the lesson's action gets as far as its quiz form.
	const opened = await fetch(`${origin}/courses/${courseSlug}/${lessonSlug}`, { headers: { Cookie: cookie } })
	if (opened.status !== 200) throw new Error(`Opening ${courseSlug}/${lessonSlug} answered ${opened.status}`)
	const params = { slug, courseSlug, lessonSlug, token }

	const before = memoryOf(pid, 'VmRSS')
	let sampledPeak = before
	const sampler = setInterval(() => {
		sampledPeak = Math.max(sampledPeak, memoryOf(pid, 'VmRSS'))
	}, 20)

	const rows: { path: string; body: string; refused: boolean; status: number; bytes: number; ms: number }[] = []
	const post = async (pathname: string, label: string, body: URLSearchParams | string, refused = true) => {
		const started = performance.now()
		let response = await postForm(origin, pathname, new URLSearchParams(body), cookie)
		if (response.status >= 300 && response.status < 400) response = await postForm(origin, pathname, new URLSearchParams(body))
		const bytes = (await response.arrayBuffer()).byteLength
		rows.push({ path: pathname, body: label, refused, status: response.status, bytes, ms: Math.round(performance.now() - started) })
		// Log-out takes any form within the limits, and ends the session it came with.
		if (response.status === 302 && pathname === '/logout') cookie = await logIn(origin, admin)
	}
	await post('/signup', 'the issue’s 70-byte body', ISSUE_BODY)
	for (const route of appRoutes('action')) {
		for (const [label, body, within] of hostileForms()) await post(fillPath(route, params), label, body, within === 'over the limits')
	}
	clearInterval(sampler)
	const after = memoryOf(pid, 'VmRSS')
	const highWater = memoryOf(pid, 'VmHWM')
	const health = await fetchPastReset(`${origin}/healthz`)

	console.log('| Form | Body | Status | Answer (bytes) | Time (ms) |')
	console.log('| --- | --- | ---: | ---: | ---: |')
	for (const row of rows) console.log(`| \`${row.path}\` | ${row.body} | ${row.status} | ${row.bytes} | ${row.ms} |`)
	const refusedWell = rows.every((row) => (!row.refused || row.status >= 400) && row.status < 500 && row.bytes < MAX_ANSWER_BYTES)
	console.log(`\n${rows.length} hostile posts; largest answer ${Math.max(...rows.map((row) => row.bytes))} bytes; slowest ${Math.max(...rows.map((row) => row.ms))} ms.`)
	console.log(`Server memory (resident): ${megabytes(before)} before, peak ${megabytes(sampledPeak)} while posting (sampled every 20 ms), ${megabytes(after)} after; high-water mark since start ${megabytes(highWater)}.`)
	console.log(`/healthz afterwards: ${health.status}.`)
	failed = !refusedWell || health.status !== 200
	if (failed) console.log('FAILED: a body over the limits was not refused with a 4xx, an answer was a 5xx or over 200 KB, or the server stopped answering.')
} finally {
	await stop()
	rmSync(dataDir, { recursive: true, force: true })
}
process.exitCode = failed ? 1 : 0
