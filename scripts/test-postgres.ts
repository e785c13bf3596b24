import { spawn } from 'node:child_process'
import { createScratchDatabase } from './support/scratch-postgres.ts'

/**
 * Runs the integration tests against a PostgreSQL server, in a database created fresh for this
 * run and dropped afterwards. TEST_POSTGRES_URL names the server (any database on it to connect to).
 */
const database = await createScratchDatabase(new URL(process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'), 'bulwark_test')
console.log(`Integration tests on PostgreSQL, database ${database.name}`)

const exitCode = await new Promise<number>((resolve) => {
	const child = spawn('npx', ['vitest', 'run', '--project', 'integration', '--project', 'library', ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: { ...process.env, DATABASE_URL: database.url },
	})
	child.on('close', (code) => resolve(code ?? 1))
})

await database.drop()
process.exit(exitCode)
