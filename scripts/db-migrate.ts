import 'dotenv/config'
import { configuredMigrationDriver } from '#app/modules/db/migration-drivers.server.ts'
import { applyMigrations, MigrationError } from '#app/modules/db/migrations.server.ts'
import { disconnectDatabase } from '#app/utils/db.server.ts'

try {
	const result = await applyMigrations(await configuredMigrationDriver(), { log: console.log })
	console.log(
		result.applied.length === 0
			? `Database is up to date (${result.alreadyApplied} migrations applied earlier).`
			: `Applied ${result.applied.length} migration(s); ${result.alreadyApplied} were already applied.`,
	)
} catch (error) {
	console.error(error instanceof MigrationError ? `Migration refused: ${error.message}` : error instanceof Error ? error.message : error)
	process.exitCode = 1
} finally {
	await disconnectDatabase()
}
