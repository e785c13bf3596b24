import { assertDataDirectoryWritable, prisma, usesEmbeddedDatabase } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'

/**
 * Proves the database accepts a write, not only a read: one row of "HealthProbe" is rewritten in
 * place, so the table never grows. On the embedded database the data directory must also take a
 * new file, because PGlite commits to files it already holds open after its directory became
 * unwritable and fails only on the next file it opens.
 */
export async function checkDatabaseWritable() {
	const { PGLITE_DATA_DIR } = getEnv()
	if (usesEmbeddedDatabase() && !PGLITE_DATA_DIR.startsWith('memory://')) assertDataDirectoryWritable(PGLITE_DATA_DIR)
	await prisma.$executeRaw`INSERT INTO "HealthProbe" ("id", "checkedAt") VALUES (1, now()) ON CONFLICT ("id") DO UPDATE SET "checkedAt" = EXCLUDED."checkedAt"`
}
