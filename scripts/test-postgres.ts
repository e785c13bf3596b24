import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * Runs the integration tests against a PostgreSQL server, in a database created fresh for this
 * run and dropped afterwards. TEST_POSTGRES_URL names the server (any database on it to connect to).
 */
const serverUrl = new URL(process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test')
const databaseName = `bulwark_test_${Date.now()}_${randomBytes(3).toString('hex')}`

async function admin(sql: string) {
	const client = new pg.Client({ connectionString: serverUrl.toString() })
	await client.connect()
	try {
		await client.query(sql)
	} finally {
		await client.end()
	}
}

await admin(`CREATE DATABASE "${databaseName}"`)
const testUrl = new URL(serverUrl)
testUrl.pathname = `/${databaseName}`
console.log(`Integration tests on PostgreSQL, database ${databaseName}`)

const exitCode = await new Promise<number>((resolve) => {
	const child = spawn(
		'npx',
		['vitest', 'run', '--project', 'integration', ...process.argv.slice(2)],
		{ stdio: 'inherit', env: { ...process.env, DATABASE_URL: testUrl.toString() } },
	)
	child.on('close', (code) => resolve(code ?? 1))
})

await admin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`)
process.exit(exitCode)
