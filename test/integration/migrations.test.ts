import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { afterEach, describe, expect, test } from 'vitest'
import { pgliteMigrationDriver, postgresMigrationDriver } from '#app/modules/db/migration-drivers.server.ts'
import {
	applyMigrations,
	DEFAULT_MIGRATIONS_DIR,
	findPendingMigrations,
	MigrationError,
	type MigrationDriver,
} from '#app/modules/db/migrations.server.ts'

const serverUrl = process.env.DATABASE_URL

interface TestDatabase {
	/** A new driver for this database; a PostgreSQL driver holds one connection and is good for one run. */
	driver(): MigrationDriver
	query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
	drop(): Promise<void>
}

/** A new empty database of the kind this run uses: on the DATABASE_URL server, or in-memory PGlite. */
async function freshDatabase(): Promise<TestDatabase> {
	if (!serverUrl) {
		const db = new PGlite()
		return {
			driver: () => pgliteMigrationDriver(db),
			query: async (sql, params) => (await db.query(sql, params)).rows as never,
			drop: () => db.close(),
		}
	}
	const name = `bulwark_mig_${randomBytes(6).toString('hex')}`
	const admin = new pg.Client({ connectionString: serverUrl })
	await admin.connect()
	await admin.query(`CREATE DATABASE ${name}`)
	const url = new URL(serverUrl)
	url.pathname = `/${name}`
	const reader = new pg.Client({ connectionString: url.toString() })
	await reader.connect()
	return {
		driver: () => postgresMigrationDriver(url.toString()),
		query: async (sql, params) => (await reader.query(sql, params)).rows,
		drop: async () => {
			await reader.end()
			await admin.query(`DROP DATABASE ${name} WITH (FORCE)`)
			await admin.end()
		},
	}
}

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function database() {
	const db = await freshDatabase()
	cleanups.push(() => db.drop())
	return db
}

async function tempDir() {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bulwark-migrations-'))
	cleanups.push(() => fs.rm(dir, { recursive: true, force: true }))
	return dir
}

/** A copy of prisma/migrations that a test may change. */
async function copyOfMigrations() {
	const dir = await tempDir()
	await fs.cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true })
	return dir
}

/** The real migrations with their checksums computed here, independently of the runner. */
async function realMigrations() {
	const entries = await fs.readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true })
	const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
	return Promise.all(
		names.map(async (name) => {
			const sql = await fs.readFile(path.join(DEFAULT_MIGRATIONS_DIR, name, 'migration.sql'))
			return { name, checksum: createHash('sha256').update(sql).digest('hex') }
		}),
	)
}

interface MigrationRow {
	migration_name: string
	checksum: string
	finished_at: Date | null
	rolled_back_at: Date | null
	applied_steps_count: number
}

function migrationRows(db: TestDatabase) {
	return db.query<MigrationRow>(
		`SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count
		 FROM "_prisma_migrations" ORDER BY migration_name`,
	)
}

async function tableExists(db: TestDatabase, table: string) {
	const [row] = await db.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [`public."${table}"`])
	return row?.found != null
}

// Each test starts its own database, which takes seconds for PGlite on a busy machine.
describe(`applyMigrations on ${serverUrl ? 'PostgreSQL' : 'PGlite'}`, { timeout: 60_000 }, () => {
	test('applies every migration to a fresh database and records each with its checksum', async () => {
		const db = await database()
		const expected = await realMigrations()
		expect(expected.length).toBeGreaterThan(0)

		const result = await applyMigrations(db.driver())

		expect(result).toEqual({ applied: expected.map((migration) => migration.name), alreadyApplied: 0 })
		for (const table of ['User', 'Session', 'Organisation', 'Membership', 'Invitation', 'RateLimitBucket']) {
			expect(await tableExists(db, table), `table ${table}`).toBe(true)
		}
		const rows = await migrationRows(db)
		expect(rows.map(({ migration_name, checksum }) => ({ name: migration_name, checksum }))).toEqual(expected)
		for (const row of rows) {
			expect(row.finished_at).toBeInstanceOf(Date)
			expect(row.rolled_back_at).toBeNull()
			expect(row.applied_steps_count).toBe(1)
		}
	})

	test('a second run applies nothing', async () => {
		const db = await database()
		const expected = await realMigrations()
		await applyMigrations(db.driver())

		const second = await applyMigrations(db.driver())

		expect(second).toEqual({ applied: [], alreadyApplied: expected.length })
		expect(await migrationRows(db)).toHaveLength(expected.length)
	})

	test('findPendingMigrations lists what is to apply and changes nothing (the start-up check on PostgreSQL)', async () => {
		const db = await database()
		const expected = await realMigrations()

		expect(await findPendingMigrations(db.driver())).toEqual(expected.map((migration) => migration.name))
		expect(await tableExists(db, '_prisma_migrations')).toBe(false)
		expect(await tableExists(db, 'User')).toBe(false)

		await applyMigrations(db.driver())
		expect(await findPendingMigrations(db.driver())).toEqual([])
	})

	test('two concurrent runs both succeed and apply each migration once', async () => {
		const db = await database()
		const expected = await realMigrations()

		const results = await Promise.all([applyMigrations(db.driver()), applyMigrations(db.driver())])

		// The lock serialises the runs: one applies everything, the other finds it done.
		const appliedByBoth = results.flatMap((result) => result.applied).sort()
		expect(appliedByBoth).toEqual(expected.map((migration) => migration.name))
		expect(results.map((result) => result.alreadyApplied).sort()).toEqual([0, expected.length])
		const rows = await migrationRows(db)
		expect(rows.map((row) => row.migration_name)).toEqual(expected.map((migration) => migration.name))
	})

	test('refuses a migration file changed after it was applied', async () => {
		const db = await database()
		const directory = await copyOfMigrations()
		const [first] = await realMigrations()
		if (!first) throw new Error('no migrations')
		await applyMigrations(db.driver(), { directory })

		await fs.appendFile(path.join(directory, first.name, 'migration.sql'), '\n-- edited after it was applied\n')
		const run = applyMigrations(db.driver(), { directory })

		await expect(run).rejects.toBeInstanceOf(MigrationError)
		await expect(run).rejects.toThrow(`Migration "${first.name}" was changed after it was applied`)
		// The database keeps the checksum of what was really applied.
		const rows = await migrationRows(db)
		expect(rows.find((row) => row.migration_name === first.name)?.checksum).toBe(first.checksum)
	})

	test('a failing migration is rolled back completely and can be retried once fixed', async () => {
		const db = await database()
		const directory = await copyOfMigrations()
		const expected = await realMigrations()
		const broken = '29990101000000_broken'
		const brokenFile = path.join(directory, broken, 'migration.sql')
		await fs.mkdir(path.join(directory, broken))
		await fs.writeFile(brokenFile, 'CREATE TABLE "BrokenProbe" ("id" INTEGER);\nTHIS IS NOT SQL;\n')

		const run = applyMigrations(db.driver(), { directory })

		await expect(run).rejects.toBeInstanceOf(MigrationError)
		await expect(run).rejects.toThrow(`Migration "${broken}" failed and was rolled back`)
		expect(await tableExists(db, 'BrokenProbe')).toBe(false)
		const rows = await migrationRows(db)
		expect(rows.map((row) => row.migration_name)).toEqual(expected.map((migration) => migration.name))

		// Nothing of the failure is left behind, so the fixed migration applies on the next run.
		await fs.writeFile(brokenFile, 'CREATE TABLE "BrokenProbe" ("id" INTEGER);\n')
		const retry = await applyMigrations(db.driver(), { directory })
		expect(retry).toEqual({ applied: [broken], alreadyApplied: expected.length })
		expect(await tableExists(db, 'BrokenProbe')).toBe(true)
	})

	test('a migration whose bookkeeping fails is rolled back with it', async () => {
		const db = await database()
		const directory = await copyOfMigrations()
		const expected = await realMigrations()
		const late = '29990101000000_late_failure'
		// The SQL itself succeeds but makes the runner's own INSERT fail: one statement of a script
		// is atomic by itself, so only this shows that the transaction also spans the bookkeeping.
		await fs.mkdir(path.join(directory, late))
		await fs.writeFile(
			path.join(directory, late, 'migration.sql'),
			`CREATE TABLE "LateProbe" ("id" INTEGER);
			ALTER TABLE "_prisma_migrations" ADD CONSTRAINT "late_probe" CHECK ("migration_name" <> '${late}');`,
		)

		const run = applyMigrations(db.driver(), { directory })

		await expect(run).rejects.toThrow(MigrationError)
		await expect(run).rejects.toThrow(`Migration "${late}" failed and was rolled back`)
		expect(await tableExists(db, 'LateProbe')).toBe(false)
		const constraints = await db.query(`SELECT 1 FROM pg_constraint WHERE conname = 'late_probe'`)
		expect(constraints).toHaveLength(0)
		const rows = await migrationRows(db)
		expect(rows.map((row) => row.migration_name)).toEqual(expected.map((migration) => migration.name))
	})

	// The Prisma CLI cannot talk to a PostgreSQL server here (docs: toolchain notes), so this
	// agreement check exists on the PGlite run only.
	if (!serverUrl) {
		test('the Prisma CLI agrees that a database migrated by this runner is up to date', async () => {
			const dataDir = path.join(await tempDir(), 'pglite')
			const db = new PGlite(dataDir)
			await applyMigrations(pgliteMigrationDriver(db))
			await db.close()

			const output = await prismaMigrateStatus(dataDir)

			expect(output).toContain('Database schema is up to date!')
		}, 90_000)
	}
})

/** Runs `prisma migrate status`; PGlite can keep the CLI alive after it answers, so stop reading at the answer. */
function prismaMigrateStatus(dataDir: string) {
	const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DATA_DIR: dataDir }
	delete env.DATABASE_URL
	const child = spawn('npx', ['prisma', 'migrate', 'status'], {
		cwd: path.resolve(DEFAULT_MIGRATIONS_DIR, '..', '..'),
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	let output = ''
	return new Promise<string>((resolve) => {
		const finish = () => {
			clearTimeout(timer)
			// npx starts prisma as a child: end the whole process group this test started.
			if (child.exitCode === null && child.pid) {
				try {
					process.kill(-child.pid, 'SIGKILL')
				} catch {}
			}
			resolve(output)
		}
		const timer = setTimeout(finish, 60_000)
		const read = (chunk: Buffer) => {
			output += chunk.toString()
			if (/Database schema is up to date!|not yet been applied|failed|Error/i.test(output)) finish()
		}
		child.stdout.on('data', read)
		child.stderr.on('data', read)
		child.on('exit', finish)
	})
}
