import { existsSync } from 'node:fs'
import { defineConfig, devices } from '@playwright/test'

const PORT = 3100
const BASE_URL = `http://localhost:${PORT}`

// Machines without Playwright's own browser use the system Chromium (docs: toolchain notes).
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)

export default defineConfig({
	testDir: 'test/e2e',
	fullyParallel: false,
	forbidOnly: !!process.env.CI,
	retries: 0,
	workers: 2,
	// Argon2 hashing on a busy 2-core machine: leave room.
	timeout: 45_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['html', { open: 'never' }]],
	use: {
		baseURL: BASE_URL,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					executablePath,
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
						'--no-first-run',
						'--disable-quic',
					],
				},
			},
		},
	],
	// Serves the BUILT app (run `npm run build` first) in production mode on a fresh database.
	webServer: {
		command: `node -e "require('node:fs').rmSync('data/e2e', { recursive: true, force: true })" && node server-build/index.js`,
		url: `${BASE_URL}/healthz`,
		reuseExistingServer: !process.env.CI,
		timeout: 60_000,
		stdout: 'pipe',
		stderr: 'pipe',
		gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
		env: {
			NODE_ENV: 'production',
			PORT: String(PORT),
			PGLITE_DATA_DIR: 'data/e2e',
			APP_URL: BASE_URL,
			// Empty values win over a developer's .env: embedded database, invitation links not emailed.
			DATABASE_URL: '',
			SMTP_URL: '',
			TRUST_PROXY: 'false',
		},
	},
})
