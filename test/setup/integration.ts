import { afterAll, beforeAll } from 'vitest'
import { configuredMigrationDriver } from '#app/modules/db/migration-drivers.server.ts'
import { applyMigrations } from '#app/modules/db/migrations.server.ts'
import { disconnectDatabase } from '#app/utils/db.server.ts'

// Tests share one database per worker and isolate themselves with distinct rows (unique emails and
// slugs from test/fixtures), so the same suite runs on PGlite and on a PostgreSQL server.
beforeAll(async () => {
	await applyMigrations(await configuredMigrationDriver())
})

afterAll(async () => {
	await disconnectDatabase()
})
