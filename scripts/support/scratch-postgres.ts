import { randomBytes } from 'node:crypto'
import pg from 'pg'

async function runAdminStatement(serverUrl: URL, sql: string) {
	const client = new pg.Client({ connectionString: serverUrl.toString() })
	await client.connect()
	try {
		await client.query(sql)
	} finally {
		await client.end()
	}
}

/**
 * A database created fresh on the PostgreSQL server at `serverUrl` (any database on it to connect
 * to), for one test or benchmark run; `drop()` removes it again.
 */
export async function createScratchDatabase(serverUrl: URL, prefix: string) {
	const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`
	await runAdminStatement(serverUrl, `CREATE DATABASE "${name}"`)
	const url = new URL(serverUrl)
	url.pathname = `/${name}`
	return { name, url: url.toString(), drop: () => runAdminStatement(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) }
}
