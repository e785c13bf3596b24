import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import pg from 'pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { type Prisma, PrismaClient } from '#app/generated/prisma/client.ts'
import { getEnv } from './env.server.ts'
import { recalled, remember } from './remember.server.ts'

/** With DATABASE_URL the app talks to a PostgreSQL server; without it, to PGlite in a data directory. */
export function usesEmbeddedDatabase() {
	return !getEnv().DATABASE_URL
}

function isProcessAlive(pid: number) {
	try {
		process.kill(pid, 0)
		return true
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM'
	}
}

/**
 * PGlite has no lock of its own and two processes writing one data directory corrupt it (say a
 * seed run while the app is up), so a lock file next to it names the process that owns it.
 */
export function lockDataDirectory(dataDir: string) {
	const lockFile = `${path.resolve(dataDir)}.lock`
	try {
		fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' })
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
		const owner = Number(fs.readFileSync(lockFile, 'utf8'))
		if (owner !== process.pid && Number.isInteger(owner) && isProcessAlive(owner)) {
			throw new Error(
				`The embedded database in ${dataDir} is in use by process ${owner}. Stop that process (for example the running app) and try again.`,
			)
		}
		fs.writeFileSync(lockFile, String(process.pid))
	}
	process.once('exit', () => {
		if (fs.readFileSync(lockFile, { encoding: 'utf8', flag: 'a+' }) === String(process.pid)) fs.rmSync(lockFile, { force: true })
	})
}

/**
 * Creates and removes a file in the data directory: what PGlite needs to do to write, checked
 * before opening it (PGlite itself only says "failed to initialize properly") and by `/healthz`
 * (PGlite keeps its files open, so it can go on committing for a while after the directory
 * became unwritable, and fail only later).
 */
export function assertDataDirectoryWritable(dataDir: string, { create = false } = {}) {
	const probe = path.join(dataDir, '.bulwark-write-probe')
	try {
		if (create) fs.mkdirSync(dataDir, { recursive: true })
		fs.writeFileSync(probe, String(process.pid))
		fs.rmSync(probe)
	} catch (error) {
		const { code } = error as NodeJS.ErrnoException
		throw new Error(
			`The embedded database's data directory ${path.resolve(dataDir)} cannot be written (${code ?? String(error)}). ` +
				'Give the user running Bulwark write access to it (and free disk space), or set PGLITE_DATA_DIR to a writable directory.',
			{ cause: error },
		)
	}
}

/** The in-process PGlite instance. One process owns a data directory at a time. */
export function getEmbeddedDatabase(): PGlite {
	return remember('pglite', () => {
		const dataDir = getEnv().PGLITE_DATA_DIR
		if (dataDir.startsWith('memory://')) return new PGlite(dataDir)
		assertDataDirectoryWritable(dataDir, { create: true })
		lockDataDirectory(dataDir)
		return new PGlite(dataDir)
	})
}

const TIMESTAMP_OID = 1114
// Prisma stores `timestamp(3)` columns in UTC; pg would read them in the server's local time zone.
const parseUtcTimestamp = (value: string) => new Date(`${value.replace(' ', 'T')}Z`)
const pgTypes = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === TIMESTAMP_OID ? parseUtcTimestamp : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

// The client gives up on a statement this long after the server should have cancelled it:
// only a server that does not answer at all (a network partition) gets that far.
const QUERY_TIMEOUT_MARGIN_MS = 2_000

/**
 * The PostgreSQL server's connection pool, shared by Prisma and `queryRows`. Prisma parses the
 * values of its own queries; the pool's parsers serve `queryRows`. Every connection and statement
 * has a time limit (docs/decisions/018-database-timeouts-and-503.md).
 */
function getPostgresPool(connectionString: string) {
	return remember('pg-pool', () => {
		const env = getEnv()
		const pool = new pg.Pool({
			connectionString,
			types: pgTypes,
			max: env.DATABASE_POOL_SIZE,
			// pg-pool applies this to opening a connection and to waiting for a free one alike.
			connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
			// The server cancels a longer statement and the connection stays usable.
			statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS,
			query_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_MARGIN_MS,
			// A transaction Prisma has given up on does not hold its locks on the server either.
			idle_in_transaction_session_timeout: env.DATABASE_TRANSACTION_TIMEOUT_MS + QUERY_TIMEOUT_MARGIN_MS,
			keepAlive: true,
			keepAliveInitialDelayMillis: 10_000,
		})
		// An idle connection the server drops (a restart, a failover) must not crash the process;
		// the pool replaces it on the next request.
		pool.on('error', (error) => console.error(`A PostgreSQL connection failed while idle: ${error.message}`))
		return pool
	})
}

/**
 * Every transaction's limits, set here once rather than per call: how long it may wait to start
 * (for a free pooled connection, or on PGlite for the one connection) and how long it may run.
 * On PostgreSQL the pool's own wait answers first, so the wait allows for the BEGIN after it.
 */
function transactionOptions() {
	const env = getEnv()
	return {
		maxWait: env.DATABASE_URL ? env.DATABASE_CONNECT_TIMEOUT_MS + env.DATABASE_STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_MARGIN_MS : env.DATABASE_CONNECT_TIMEOUT_MS,
		timeout: env.DATABASE_TRANSACTION_TIMEOUT_MS,
	}
}

function createPrismaClient() {
	const { DATABASE_URL } = getEnv()
	if (DATABASE_URL) return new PrismaClient({ adapter: new PrismaPg(getPostgresPool(DATABASE_URL)), transactionOptions: transactionOptions() })
	// The data directory is opened (and locked) on the first query, not on import, so a refused
	// lock reaches the caller's error handling as a readable message.
	const embedded: SqlDriverAdapterFactory = {
		provider: 'postgres',
		adapterName: 'pglite-prisma-adapter',
		// pglite-prisma-adapter 0.6 is typed against Prisma 6.10's adapter interface; the runtime contract is the same.
		connect: () => (new PrismaPGlite(getEmbeddedDatabase()) as unknown as SqlDriverAdapterFactory).connect(),
	}
	return new PrismaClient({ adapter: embedded, transactionOptions: transactionOptions() })
}

export const prisma = remember('prisma', createPrismaClient)

/** A hand-written read for `queryRows`; the name lets PostgreSQL plan it once per connection. */
export type SqlStatement = { name: string; text: string }

/**
 * Runs one of the reads every page makes (docs/decisions/014) on the driver itself, not through the
 * Prisma client, whose own work per query costs more CPU than the query does. Values are bound as
 * parameters ($1, $2, …). Inside a transaction it runs on the transaction's connection instead.
 */
export async function queryRows<Row>(statement: SqlStatement, values: unknown[], tx?: Prisma.TransactionClient): Promise<Row[]> {
	if (tx) return tx.$queryRawUnsafe<Row[]>(statement.text, ...values)
	const { DATABASE_URL } = getEnv()
	if (DATABASE_URL) {
		const result = await getPostgresPool(DATABASE_URL).query({ ...statement, values })
		return result.rows as Row[]
	}
	const result = await getEmbeddedDatabase().query<Row>(statement.text, values, { parsers: { [TIMESTAMP_OID]: parseUtcTimestamp } })
	return result.rows
}

/**
 * Calls `onNotification` with the payload of every notification on `channel` the embedded
 * database sends; resolves once listening. A notification arrives when the transaction that sent
 * it commits, before the commit's own caller resumes.
 */
export async function listenToEmbeddedDatabase(channel: string, onNotification: (payload: string) => void) {
	await getEmbeddedDatabase().listen(channel, onNotification)
}

/** Lets a script or the server exit cleanly: PGlite writes its data directory out on close. */
export async function disconnectDatabase() {
	await prisma.$disconnect()
	await recalled<pg.Pool>('pg-pool')?.end()
	await recalled<PGlite>('pglite')?.close()
}

/**
 * A write refused by a unique index, e.g. two sign-ups with one email at once: Prisma's P2002, or on
 * PGlite (whose adapter does not map error kinds) the raw driver error with SQLSTATE 23505.
 */
export function isUniqueConstraintError(error: unknown) {
	return typeof error === 'object' && error !== null && (('code' in error && error.code === 'P2002') || (error as { cause?: { code?: unknown } }).cause?.code === '23505')
}
