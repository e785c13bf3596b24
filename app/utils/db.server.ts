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

/** The in-process PGlite instance. One process owns a data directory at a time. */
export function getEmbeddedDatabase(): PGlite {
	return remember('pglite', () => {
		const dataDir = getEnv().PGLITE_DATA_DIR
		if (dataDir.startsWith('memory://')) return new PGlite(dataDir)
		fs.mkdirSync(dataDir, { recursive: true })
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

/**
 * The PostgreSQL server's connection pool, shared by Prisma and `queryRows`. Prisma parses the
 * values of its own queries; the pool's parsers serve `queryRows`.
 */
function getPostgresPool(connectionString: string) {
	return remember('pg-pool', () => new pg.Pool({ connectionString, types: pgTypes }))
}

function createPrismaClient() {
	const { DATABASE_URL } = getEnv()
	if (DATABASE_URL) return new PrismaClient({ adapter: new PrismaPg(getPostgresPool(DATABASE_URL)) })
	// The data directory is opened (and locked) on the first query, not on import, so a refused
	// lock reaches the caller's error handling as a readable message.
	const embedded: SqlDriverAdapterFactory = {
		provider: 'postgres',
		adapterName: 'pglite-prisma-adapter',
		// pglite-prisma-adapter 0.6 is typed against Prisma 6.10's adapter interface; the runtime contract is the same.
		connect: () => (new PrismaPGlite(getEmbeddedDatabase()) as unknown as SqlDriverAdapterFactory).connect(),
	}
	return new PrismaClient({ adapter: embedded })
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
