import { defineConfig } from 'vitest/config'

export default defineConfig({
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['app/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
					environment: 'node',
				},
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['test/integration/**/*.test.ts'],
					environment: 'node',
					// Each worker gets its own in-memory PGlite unless DATABASE_URL points at a server.
					env: { PGLITE_DATA_DIR: 'memory://', COURSES_DIR: 'test/fixtures/courses' },
					setupFiles: ['test/setup/integration.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000,
				},
			},
			{
				extends: true,
				test: {
					name: 'library',
					include: ['test/library/**/*.test.ts'],
					environment: 'node',
					// The same as integration, on the real course library instead of the fixtures.
					env: { PGLITE_DATA_DIR: 'memory://', COURSES_DIR: 'courses' },
					setupFiles: ['test/setup/integration.ts'],
					testTimeout: 60_000,
					hookTimeout: 300_000,
				},
			},
		],
	},
})
