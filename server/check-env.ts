import { getEnv } from '#app/utils/env.server.ts'

// Imported first by server/index.ts, before any module that reads the environment when it loads
// (the database client does): an invalid setting stops the start with the list of problems alone,
// not with a stack trace around it.
try {
	getEnv()
} catch (error) {
	console.error(`Start-up refused: ${error instanceof Error ? error.message : String(error)}`)
	process.exit(1)
}
