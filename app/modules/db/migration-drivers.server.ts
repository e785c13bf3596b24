import type { PGlite, Transaction } from '@electric-sql/pglite'
import pg from 'pg'
import { MIGRATION_LOCK_KEY, type MigrationConnection, type MigrationDriver } from './migrations.server.ts'

function pgliteConnection(db: PGlite | Transaction): MigrationConnection {
	return {
		query: async (sql, params) => (await db.query(sql, params)).rows as never,
		exec: async (sql) => {
			await db.exec(sql)
		},
	}
}

const pgliteLocks = new WeakMap<PGlite, Promise<unknown>>()

/**
 * PGlite is one connection inside this process, so an advisory lock would not exclude a second
 * caller on the same instance: a promise chain per instance does. Another process is kept out
 * of the data directory by its lock file (lockDataDirectory in db.server.ts).
 */
export function pgliteMigrationDriver(db: PGlite): MigrationDriver {
	return {
		connection: pgliteConnection(db),
		withLock(work) {
			const previous = pgliteLocks.get(db) ?? Promise.resolve()
			const next = previous.catch(() => {}).then(work)
			pgliteLocks.set(db, next)
			return next
		},
		transaction: (work) => db.transaction((tx) => work(pgliteConnection(tx))),
	}
}

export type PostgresMigrationLimits = {
	/** Longest wait to open the connection (a server that is down or silent fails after this). */
	connectTimeoutMs?: number
	/** Longest wait for any one statement; unset for `npm run db:migrate`, whose migrations may take long. */
	statementTimeoutMs?: number
}

/** One dedicated connection holds a session advisory lock while the migrations run. */
export function postgresMigrationDriver(connectionString: string, { connectTimeoutMs, statementTimeoutMs }: PostgresMigrationLimits = {}): MigrationDriver {
	const client = new pg.Client({
		connectionString,
		connectionTimeoutMillis: connectTimeoutMs,
		keepAlive: true,
		...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 2_000 } : {}),
	})
	const connection: MigrationConnection = {
		query: async (sql, params) => (await client.query(sql, params)).rows,
		exec: async (sql) => {
			await client.query(sql)
		},
	}
	return {
		connection,
		async withLock(work) {
			await client.connect()
			try {
				await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
				return await work()
			} finally {
				await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
				await client.end()
			}
		},
		async transaction(work) {
			await client.query('BEGIN')
			try {
				const result = await work(connection)
				await client.query('COMMIT')
				return result
			} catch (error) {
				await client.query('ROLLBACK')
				throw error
			}
		},
	}
}

/**
 * The driver for the database this process is configured to use; it waits DATABASE_CONNECT_TIMEOUT_MS
 * for a connection, and with `limitStatements` (the server's start-up check) DATABASE_STATEMENT_TIMEOUT_MS
 * for each statement.
 */
export async function configuredMigrationDriver({ limitStatements = false } = {}): Promise<MigrationDriver> {
	const { getEnv } = await import('#app/utils/env.server.ts')
	const { getEmbeddedDatabase } = await import('#app/utils/db.server.ts')
	const env = getEnv()
	if (!env.DATABASE_URL) return pgliteMigrationDriver(getEmbeddedDatabase())
	return postgresMigrationDriver(env.DATABASE_URL, {
		connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
		statementTimeoutMs: limitStatements ? env.DATABASE_STATEMENT_TIMEOUT_MS : undefined,
	})
}
