import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'

/**
 * Applies prisma/migrations to PGlite or a PostgreSQL server with Prisma's own bookkeeping
 * (`_prisma_migrations`), so `prisma migrate status` agrees. See docs/decisions/003-migrations-runner.md.
 */

export type MigrationQuery = <Row = Record<string, unknown>>(
	sql: string,
	params?: unknown[],
) => Promise<Row[]>

export interface MigrationConnection {
	query: MigrationQuery
	/** Runs a script of several statements. */
	exec(sql: string): Promise<void>
}

export interface MigrationDriver {
	/** Runs `work` while holding a lock that excludes every other migrator of this database. */
	withLock<T>(work: () => Promise<T>): Promise<T>
	/** Reads outside of a migration transaction. */
	connection: MigrationConnection
	/** Runs `work` in one transaction: all of it is committed or none. */
	transaction<T>(work: (connection: MigrationConnection) => Promise<T>): Promise<T>
}

export interface LocalMigration {
	name: string
	sql: string
	checksum: string
}

export interface MigrationResult {
	applied: string[]
	alreadyApplied: number
}

export class MigrationError extends Error {
	override name = 'MigrationError'
}

/** Prisma Migrate's own advisory lock key, so this runner and the Prisma CLI exclude each other. */
export const MIGRATION_LOCK_KEY = 72707369

export const DEFAULT_MIGRATIONS_DIR = path.resolve('prisma', 'migrations')

const CREATE_BOOKKEEPING_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
	"id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
	"checksum"            VARCHAR(64) NOT NULL,
	"finished_at"         TIMESTAMPTZ,
	"migration_name"      VARCHAR(255) NOT NULL,
	"logs"                TEXT,
	"rolled_back_at"      TIMESTAMPTZ,
	"started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
	"applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`

export function migrationChecksum(sql: string) {
	return createHash('sha256').update(sql).digest('hex')
}

export async function readLocalMigrations(directory = DEFAULT_MIGRATIONS_DIR): Promise<LocalMigration[]> {
	const entries = await fs.readdir(directory, { withFileTypes: true })
	const names = entries
		.filter((entry) => entry.isDirectory())
		.map((entry) => entry.name)
		.sort()
	const migrations: LocalMigration[] = []
	for (const name of names) {
		const file = path.join(directory, name, 'migration.sql')
		const sql = await fs.readFile(file, 'utf8').catch(() => null)
		if (sql === null) continue
		migrations.push({ name, sql, checksum: migrationChecksum(sql) })
	}
	return migrations
}

interface AppliedRow {
	migration_name: string
	checksum: string
	finished_at: Date | string | null
	rolled_back_at: Date | string | null
}

/** Refuses to go on when the database and the migration files disagree about the past. */
function assertHistoryIntact(local: LocalMigration[], rows: AppliedRow[]) {
	const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null)
	if (failed) {
		throw new MigrationError(
			`Migration "${failed.migration_name}" started earlier but never finished. Repair the database by hand, ` +
				`then mark the attempt as rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() ` +
				`WHERE migration_name = '${failed.migration_name}' AND finished_at IS NULL) and run the migrations again.`,
		)
	}
	const localByName = new Map(local.map((migration) => [migration.name, migration]))
	for (const row of rows) {
		if (row.finished_at === null || row.rolled_back_at !== null) continue
		const file = localByName.get(row.migration_name)
		if (file && file.checksum !== row.checksum) {
			throw new MigrationError(
				`Migration "${row.migration_name}" was changed after it was applied to this database ` +
					`(checksum in database ${row.checksum.slice(0, 12)}…, file now ${file.checksum.slice(0, 12)}…). ` +
					`Restore prisma/migrations/${row.migration_name}/migration.sql and put the change in a new migration.`,
			)
		}
	}
}

async function readHistory(connection: MigrationConnection) {
	const [table] = await connection.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`)
	if (!table?.exists) return []
	return connection.query<AppliedRow>(
		`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
	)
}

/** The local migrations the database has not applied, after checking that the history is intact. */
function pendingMigrations(local: LocalMigration[], rows: AppliedRow[]) {
	assertHistoryIntact(local, rows)
	const done = new Set(
		rows.filter((row) => row.finished_at !== null && row.rolled_back_at === null).map((row) => row.migration_name),
	)
	return local.filter((migration) => !done.has(migration.name))
}

/** Reads, changing nothing, which migrations are still to apply; throws like applyMigrations on a changed past. */
export async function findPendingMigrations(driver: MigrationDriver, { directory = DEFAULT_MIGRATIONS_DIR } = {}) {
	const local = await readLocalMigrations(directory)
	return driver.withLock(async () => pendingMigrations(local, await readHistory(driver.connection)).map((migration) => migration.name))
}

export async function applyMigrations(
	driver: MigrationDriver,
	{ directory = DEFAULT_MIGRATIONS_DIR, log = () => {} }: { directory?: string; log?: (line: string) => void } = {},
): Promise<MigrationResult> {
	const local = await readLocalMigrations(directory)
	return driver.withLock(async () => {
		await driver.connection.exec(CREATE_BOOKKEEPING_TABLE)
		const pending = pendingMigrations(local, await readHistory(driver.connection))
		for (const migration of pending) {
			log(`Applying migration ${migration.name}`)
			await driver
				.transaction(async (connection) => {
					await connection.exec(migration.sql)
					await connection.query(
						`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
						 VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
						[randomUUID(), migration.checksum, migration.name],
					)
				})
				.catch((error: unknown) => {
					const reason = error instanceof Error ? error.message : String(error)
					throw new MigrationError(`Migration "${migration.name}" failed and was rolled back: ${reason}`)
				})
		}
		return { applied: pending.map((migration) => migration.name), alreadyApplied: local.length - pending.length }
	})
}
