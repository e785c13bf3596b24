import fs from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { PrismaClient } from '#app/generated/prisma/client.ts'
import { getEnv } from './env.server.ts'
import { remember } from './remember.server.ts'

/** With DATABASE_URL the app talks to a PostgreSQL server; without it, to PGlite in a data directory. */
export function usesEmbeddedDatabase() {
	return !getEnv().DATABASE_URL
}

/** The in-process PGlite instance. One process owns a data directory at a time. */
export function getEmbeddedDatabase(): PGlite {
	return remember('pglite', () => {
		const dataDir = getEnv().PGLITE_DATA_DIR
		if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true })
		return new PGlite(dataDir)
	})
}

function createPrismaClient() {
	const { DATABASE_URL } = getEnv()
	const adapter = DATABASE_URL
		? new PrismaPg({ connectionString: DATABASE_URL })
		: // pglite-prisma-adapter 0.6 is typed against Prisma 6.10's adapter interface; the runtime contract is the same.
			(new PrismaPGlite(getEmbeddedDatabase()) as unknown as PrismaPg)
	return new PrismaClient({ adapter })
}

export const prisma = remember('prisma', createPrismaClient)

/**
 * A write refused by a unique index, e.g. two sign-ups with one email at once: Prisma's P2002, or on
 * PGlite (whose adapter does not map error kinds) the raw driver error with SQLSTATE 23505.
 */
export function isUniqueConstraintError(error: unknown) {
	return typeof error === 'object' && error !== null && (('code' in error && error.code === 'P2002') || (error as { cause?: { code?: unknown } }).cause?.code === '23505')
}
