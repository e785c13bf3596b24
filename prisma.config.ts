import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { defineConfig } from 'prisma/config'

// The Prisma CLI runs on its WASM engine through a driver adapter (docs/decisions/002-prisma-6-wasm-engine.md).
// It works on PGlite; PostgreSQL servers are migrated by scripts/db-migrate.ts instead.
process.env.DATABASE_URL ??= 'postgresql://embedded-pglite/bulwark'

export default defineConfig({
	schema: path.join('prisma', 'schema.prisma'),
	migrations: { path: path.join('prisma', 'migrations') },
	engine: 'js',
	experimental: { adapter: true },
	adapter: async () => {
		const dataDir = process.env.PGLITE_DATA_DIR ?? path.join('data', 'pglite')
		fs.mkdirSync(dataDir, { recursive: true })
		// Typed against Prisma 6.10's adapter interface; the runtime contract is the same.
		return new PrismaPGlite(new PGlite(dataDir)) as unknown as SqlMigrationAwareDriverAdapterFactory
	},
})
