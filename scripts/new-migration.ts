import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pgliteMigrationDriver } from '#app/modules/db/migration-drivers.server.ts'
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from '#app/modules/db/migrations.server.ts'

/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference between what the
 * existing migrations build and prisma/schema.prisma. `prisma migrate dev` cannot do this here
 * (its shadow database fails through the PGlite adapter), so: apply the migrations to a scratch
 * PGlite, introspect it with `prisma db pull`, and diff the two datamodels offline.
 */

/**
 * Runs the Prisma CLI until `isFinished` says its work is done. With a driver adapter configured
 * the CLI does not exit by itself after finishing, so it is stopped here.
 */
function runPrisma(args: string[], env: Record<string, string>, isFinished: (output: string) => Promise<boolean>) {
	return new Promise<void>((resolve, reject) => {
		const child = spawn(path.join('node_modules', '.bin', 'prisma'), args, {
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		})
		let output = ''
		let finished = false
		const collect = (chunk: Buffer) => {
			output += chunk.toString()
		}
		child.stdout.on('data', collect)
		child.stderr.on('data', collect)
		const poll = setInterval(() => {
			void isFinished(output).then((done) => {
				if (done && !finished) {
					finished = true
					child.kill()
				}
			})
		}, 250)
		child.on('error', reject)
		child.on('close', (code) => {
			clearInterval(poll)
			if (finished || code === 0) resolve()
			else reject(new Error(`prisma ${args.join(' ')} failed:\n${output}`))
		})
	})
}

const fileHasContent = (file: string) => async () => (await fs.stat(file).catch(() => null))?.size ? true : false

const name = process.argv[2]
if (!name || !/^[a-z0-9_]{1,60}$/.test(name)) {
	console.error('Usage: npm run db:migration:new -- <name>   (lower-case letters, digits and underscores)')
	process.exit(1)
}

const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'bulwark-migration-'))
try {
	const dataDir = path.join(scratch, 'pglite')
	const db = new PGlite(dataDir)
	await applyMigrations(pgliteMigrationDriver(db))
	await db.close()

	const introspected = path.join(scratch, 'introspected.prisma')
	await fs.copyFile(path.join('prisma', 'schema.prisma'), introspected)
	await runPrisma(['db', 'pull', '--schema', introspected], { PGLITE_DATA_DIR: dataDir }, async (output) =>
		/Introspected \d+ models/.test(output),
	)

	const diffFile = path.join(scratch, 'migration.sql')
	const schema = path.join('prisma', 'schema.prisma')
	await runPrisma(
		['migrate', 'diff', '--from-schema-datamodel', introspected, '--to-schema-datamodel', schema, '--script', '--output', diffFile],
		{ PGLITE_DATA_DIR: dataDir },
		fileHasContent(diffFile),
	)
	const script = await fs.readFile(diffFile, 'utf8')
	if (script.includes('This is an empty migration')) {
		console.log('prisma/schema.prisma matches the migrations: no migration needed.')
	} else {
		const timestamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
		const directory = path.join(DEFAULT_MIGRATIONS_DIR, `${timestamp}_${name}`)
		await fs.mkdir(directory, { recursive: true })
		await fs.writeFile(path.join(directory, 'migration.sql'), script)
		console.log(`Wrote ${path.relative(process.cwd(), directory)}/migration.sql: review it, then run npm run db:migrate.`)
	}
} finally {
	await fs.rm(scratch, { recursive: true, force: true })
}
