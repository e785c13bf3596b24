import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { childTarget, runOnEachDatabase, writeChildResult } from './support/each-database.ts'

/**
 * `npm run bench:import`: a member CSV of BENCH_IMPORT_ROWS (10,000) rows, as German Excel saves
 * it (BOM, semicolons, German headers), previewed and applied through the import page's action on
 * PostgreSQL and on the embedded database (PGlite). The organisation has half the file's people
 * as members already plus some who are not in the file:
 *
 *   - rows / 2 new addresses: invitations (and their emails in the outbox), in 2 new departments and the existing ones
 *   - rows / 2 members (the admin among them): every second one changes department, every tenth becomes a manager
 *   - rows / 20 members missing from the file, deactivated (the box ticked)
 *   - three training requirements (everyone, managers, two departments), whose stored state triggers keep
 *
 * Each database runs in a child process (the app picks its database on first use). Exits 1 when
 * PostgreSQL misses the issue's target: preview and apply together under 30 s.
 *
 *   BENCH_IMPORT_ROWS   rows in the file (default 10000)
 *   BENCH_POSTGRES_URL  the server a scratch database is created on (default postgresql://postgres@127.0.0.1:5432/test)
 *   BENCH_DATABASES     which to measure: postgres,pglite (default both)
 */

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000)
const TARGET_MS = 30_000
const ROUTE = 'app/routes/org.$slug.members_.import.tsx'
const DEPARTMENTS = 10

type Step = { label: string; ms: number }
type ChildResult = { database: string; steps: Step[]; written: Record<string, number>; csvBytes: number }

const thousands = (value: number) => value.toLocaleString('en-GB')

// ————————————————————————————————————————— child: one database —————————————————————————————————————————

type Action = (args: unknown) => Promise<unknown>

/** The action's answer: data(...) with status 200, or a redirect; anything else stops the benchmark. */
async function post(action: Action, slug: string, cookie: string, fields: Record<string, string | File>) {
	const body = new FormData()
	for (const [name, value] of Object.entries(fields)) body.append(name, value)
	const request = new Request(`http://localhost/org/${slug}/members/import`, { method: 'POST', body, headers: { Cookie: cookie } })
	const result = (await action({ request, params: { slug }, context: { cspNonce: 'bench', clientIp: '127.0.0.1' } })) as {
		init?: { status?: number } | null
		data?: { review?: { csv: string | null; problems: unknown[]; preview: { fingerprint: string; counts: Record<string, number> } | null }; applied?: unknown }
	}
	const status = result.init?.status ?? 200
	if (status !== 200) throw new Error(`The import action answered ${status}: ${JSON.stringify(result.data).slice(0, 500)}`)
	return result.data!
}

async function runChild(target: 'postgres' | 'pglite') {
	const log = (message: string) => console.log(`[${target === 'postgres' ? 'PostgreSQL' : 'PGlite'}] ${message}`)
	const { configuredMigrationDriver } = await import('#app/modules/db/migration-drivers.server.ts')
	const { applyMigrations } = await import('#app/modules/db/migrations.server.ts')
	const { prisma, disconnectDatabase } = await import('#app/utils/db.server.ts')
	const { createOrganisation } = await import('#app/modules/organisations/organisations.server.ts')
	const { createSession, SESSION_COOKIE_NAME } = await import('#app/modules/auth/session.server.ts')
	const { action } = (await import(pathToFileURL(path.resolve(ROUTE)).href)) as { action: Action }

	await applyMigrations(await configuredMigrationDriver())
	const version = (await prisma.$queryRaw<{ version: string }[]>`SELECT version() AS version`)[0]!.version.split(' on ')[0]!.split(',')[0]!

	const members = ROWS / 2
	const missing = ROWS / 20
	const admin = await prisma.user.create({ data: { email: 'admin@bench.example', name: 'Bench Admin', passwordHash: 'not-a-login' }, select: { id: true } })
	const organisation = await createOrganisation({ userId: admin.id, name: 'Import benchmark' })
	const departmentNames = Array.from({ length: DEPARTMENTS }, (_, index) => `Abteilung ${index + 1}`)
	const departments = await Promise.all(departmentNames.map((name) => prisma.department.create({ data: { organisationId: organisation.id, name }, select: { id: true } })))
	// Requirements for everyone, for managers and for two departments: the stored compliance state
	// (decision 016) is kept by triggers on every membership the import moves or deactivates.
	const organisationId = organisation.id
	await prisma.trainingRequirement.create({ data: { organisationId, courseSlug: 'bench-everyone' }, select: { id: true } })
	await prisma.trainingRequirement.create({ data: { organisationId, courseSlug: 'bench-managers', audience: 'ROLES', roles: ['MANAGER'] }, select: { id: true } })
	await prisma.trainingRequirement.create({
		data: { organisationId, courseSlug: 'bench-departments', audience: 'DEPARTMENTS', departments: { create: departments.slice(0, 2).map((department) => ({ departmentId: department.id })) } },
		select: { id: true },
	})
	const seedStarted = performance.now()
	// Everyone but the admin: members - 1 in the file, `missing` more who are not. In steps of 500,
	// as the compliance triggers run per membership.
	const seeded = members - 1 + missing
	for (let from = 1; from <= seeded; from += 500) {
		const to = Math.min(seeded, from + 499)
		await prisma.$executeRaw`
			INSERT INTO "User" ("id", "email", "name", "passwordHash", "updatedAt")
			SELECT 'benchuser' || n, 'member' || n || '@bench.example', 'Member ' || n, 'not-a-login', now()
			FROM generate_series(${from}::int, ${to}::int) AS n`
		await prisma.$executeRaw`
			INSERT INTO "Membership" ("id", "organisationId", "userId", "role", "departmentId")
			SELECT 'benchmember' || n, ${organisationId}, 'benchuser' || n, 'LEARNER', (${departments.map((department) => department.id)}::text[])[1 + n % ${DEPARTMENTS}::int]
			FROM generate_series(${from}::int, ${to}::int) AS n`
	}
	log(`seeded ${thousands(members + missing)} members in ${DEPARTMENTS} departments, 3 requirements, in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`)

	const lines = ['E-Mail;Name;Abteilung;Rolle', 'admin@bench.example;Bench Admin;;Administrator(in)']
	for (let n = 1; n < members; n++) {
		const department = n % 2 === 0 ? departmentNames[(n + 1) % DEPARTMENTS] : departmentNames[n % DEPARTMENTS]
		lines.push(`member${n}@bench.example;Member ${n};${department};${n % 10 === 0 ? 'Führungskraft' : 'Lernende(r)'}`)
	}
	for (let n = 1; n <= ROWS - members; n++) {
		const department = n % 6 === 0 ? 'Neue Abteilung A' : n % 6 === 1 ? 'Neue Abteilung B' : departmentNames[n % DEPARTMENTS]
		lines.push(`neu${n}@bench.example;"Neu, Person ${n}";${department};Teilnehmer(in)`)
	}
	const csv = `\uFEFF${lines.join('\r\n')}\r\n`
	const file = () => new File([csv], 'mitglieder.csv', { type: 'text/csv' })

	const { token } = await createSession(admin.id, 'bench-import')
	const cookie = `${SESSION_COOKIE_NAME}=${token}`
	const steps: Step[] = []
	const timed = async <T>(label: string, work: () => Promise<T>) => {
		const started = performance.now()
		const result = await work()
		const ms = performance.now() - started
		steps.push({ label, ms })
		log(`${label}: ${Math.round(ms)} ms`)
		return result
	}

	const { review } = await timed('Preview (upload, parse, plan)', () => post(action, organisation.slug, cookie, { intent: 'preview', file: file(), deactivateMissing: 'on' }))
	if (!review?.preview || !review.csv) throw new Error(`The preview cannot be applied: ${JSON.stringify(review?.problems).slice(0, 500)}`)
	log(`preview: ${JSON.stringify(review.preview.counts)}`)
	await timed('Apply (plan again under lock, write everything)', () =>
		post(action, organisation.slug, cookie, { intent: 'apply', csv: review.csv!, fingerprint: review.preview!.fingerprint, deactivateMissing: 'true' }),
	)
	steps.push({ label: 'Preview and apply', ms: steps.reduce((sum, step) => sum + step.ms, 0) })

	const [invitations, outbox, auditEvents, deactivated, newDepartments] = await Promise.all([
		prisma.invitation.count({ where: { organisationId } }),
		prisma.outboxMessage.count({ where: { organisationId, kind: 'INVITATION' } }),
		prisma.auditEvent.count({ where: { organisationId } }),
		prisma.membership.count({ where: { organisationId, deactivatedAt: { not: null } } }),
		prisma.department.count({ where: { organisationId } }),
	])
	const written = { ...review.preview.counts, invitationsWritten: invitations, outboxMessages: outbox, auditEvents, deactivated, departments: newDepartments }
	await disconnectDatabase()
	const result: ChildResult = {
		database: target === 'postgres' ? version : `PGlite (${version}, WebAssembly, in the app's process)`,
		steps,
		written,
		csvBytes: Buffer.byteLength(csv),
	}
	writeChildResult(result)
}

// ————————————————————————————————————————— parent —————————————————————————————————————————

async function runParent() {
	console.log(`Member import benchmark: a ${thousands(ROWS)}-row CSV previewed and applied once, ${os.cpus().length} CPUs, Node ${process.version}`)
	const { results, failed } = await runOnEachDatabase<ChildResult>({ name: 'import', script: 'scripts/bench-import.ts' })

	for (const { name, result } of results) {
		console.log(`\n${name}: ${result.database}; file ${(result.csvBytes / 1024).toFixed(0)} KiB`)
		console.log(`  ${Object.entries(result.written).map(([key, value]) => `${key} ${thousands(value)}`).join(', ')}`)
	}
	console.log(`\n| Database | Step | Time (ms) | Target |\n| --- | --- | ---: | --- |`)
	for (const { name, result } of results) {
		for (const step of result.steps) {
			const total = step.label === 'Preview and apply'
			console.log(`| ${name} | ${step.label} | ${thousands(Math.round(step.ms))} | ${total ? `< ${TARGET_MS / 1000} s${name === 'PostgreSQL' ? (step.ms < TARGET_MS ? ' (met)' : ' (**missed**)') : ''}` : ''} |`)
		}
	}
	const postgresTotal = results.find((entry) => entry.name === 'PostgreSQL')?.result.steps.at(-1)
	process.exitCode = failed || (postgresTotal !== undefined && postgresTotal.ms >= TARGET_MS) ? 1 : 0
}

const child = childTarget()
if (child) await runChild(child)
else await runParent()
