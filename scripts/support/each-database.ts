import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createScratchDatabase } from './scratch-postgres.ts'

// The benchmarks measure each database in a child process of its own (a fresh module graph, its own
// memory figures): PostgreSQL in a scratch database dropped afterwards, PGlite in a scratch
// directory. BENCH_DATABASES (postgres,pglite) picks them, BENCH_POSTGRES_URL names the server.

export type DatabaseTarget = 'postgres' | 'pglite'
export type DatabaseRun<Result> = { name: 'PostgreSQL' | 'PGlite'; result: Result }

/** The database this process measures when the parent started it as a child, else null. */
export function childTarget(): DatabaseTarget | null {
	const target = process.env.BENCH_CHILD
	return target === 'postgres' || target === 'pglite' ? target : null
}

/** A child's figures, for the parent to read once it exits. */
export function writeChildResult(result: unknown) {
	writeFileSync(process.env.BENCH_RESULT!, JSON.stringify(result))
}

const POSTGRES_SERVER = process.env.BENCH_POSTGRES_URL || 'postgresql://postgres@127.0.0.1:5432/test'

/**
 * Runs `script` as a child once per chosen database, in production mode without mail, and returns
 * what each child wrote. `prepare` makes extra environment in the scratch directory first (a course
 * manifest). `failed` is true when the PostgreSQL run, the one the targets apply to, did not finish.
 */
export async function runOnEachDatabase<Result>({
	name,
	script,
	nodeOptions = [],
	prepare,
}: {
	name: string
	script: string
	nodeOptions?: string[]
	prepare?: (scratch: string) => Promise<Record<string, string>>
}) {
	const databases = (process.env.BENCH_DATABASES ?? 'postgres,pglite').split(',').map((database) => database.trim())
	const scratch = mkdtempSync(path.join(os.tmpdir(), `bulwark-bench-${name}-`))
	const results: DatabaseRun<Result>[] = []
	let failed = false
	const runChild = (target: DatabaseTarget, env: Record<string, string>) =>
		new Promise<Result>((resolve, reject) => {
			const resultFile = path.join(scratch, `${target}.json`)
			const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', script], {
				env: { ...process.env, ...env, BENCH_CHILD: target, BENCH_RESULT: resultFile },
				stdio: 'inherit',
			})
			child.on('close', (code) => {
				if (code !== 0) reject(new Error(`The ${target} benchmark exited with code ${code}`))
				else resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as Result)
			})
		})
	try {
		const common = { NODE_ENV: 'production', SMTP_URL: '', ENCRYPTION_KEY: 'benchmark-only-encryption-key-0123456789', ...(await prepare?.(scratch)) }
		if (databases.includes('postgres')) {
			const database = await createScratchDatabase(new URL(POSTGRES_SERVER), `bulwark_bench_${name}`)
			console.log(`\nPostgreSQL: scratch database ${database.name} on ${new URL(POSTGRES_SERVER).host}`)
			try {
				results.push({ name: 'PostgreSQL', result: await runChild('postgres', { ...common, DATABASE_URL: database.url }) })
			} catch (error) {
				console.error(error instanceof Error ? error.message : error)
				failed = true
			} finally {
				await database.drop()
			}
		}
		if (databases.includes('pglite')) {
			console.log(`\nPGlite: data directory ${path.join(scratch, 'pglite')}`)
			try {
				results.push({ name: 'PGlite', result: await runChild('pglite', { ...common, DATABASE_URL: '', PGLITE_DATA_DIR: path.join(scratch, 'pglite') }) })
			} catch (error) {
				console.error(error instanceof Error ? error.message : error)
			}
		}
	} finally {
		rmSync(scratch, { recursive: true, force: true })
	}
	return { results, failed }
}
