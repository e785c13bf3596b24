import { existsSync } from 'node:fs'
import { defineConfig, devices } from '@playwright/test'
import {
	SMTP_APP_PORT,
	SMTP_SINK_HOST,
	SMTP_SINK_SMTP_PORT,
	SMTP_SINK_URL,
} from './test/e2e/support/smtp-sink-ports.ts'
import { TEST_PROVIDER_PORT } from './test/e2e/support/oidc-provider-port.ts'

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
	webServer: [
		appServer({
			port: PORT,
			dataDir: 'data/e2e',
			// Empty values win over a developer's .env: embedded database, invitation links not emailed.
			// One trusted proxy hop lets the rate-limit test act from its own client address
			// (X-Forwarded-For), so its refusals cannot lock the other tests out.
			// The test OpenID Provider (below) is served over plain HTTP on this machine.
			env: { SMTP_URL: '', TRUST_PROXY: 'true', SSO_ALLOW_HTTP_LOCALHOST: 'true' },
		}),
		// A real OpenID Provider with its own log-in pages, for test/e2e/sso.spec.ts.
		{
			command: 'npx tsx test/e2e/support/oidc-provider.ts',
			url: `http://localhost:${TEST_PROVIDER_PORT}/.well-known/openid-configuration`,
			env: { E2E_APP_URL: BASE_URL },
			reuseExistingServer: !process.env.CI,
			timeout: 30_000,
			stdout: 'pipe',
			stderr: 'pipe',
			gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
		},
		// A fake mail server that keeps what it receives and lists it on GET /messages.
		{
			command: 'npx tsx test/e2e/support/smtp-sink.ts',
			url: `${SMTP_SINK_URL}/messages`,
			reuseExistingServer: !process.env.CI,
			timeout: 30_000,
			stdout: 'pipe',
			stderr: 'pipe',
			gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
		},
		// The same app with email set up, sending through the sink (test/e2e/smtp-invitation.spec.ts).
		appServer({
			port: SMTP_APP_PORT,
			dataDir: 'data/e2e-smtp',
			env: {
				SMTP_URL: `smtp://${SMTP_SINK_HOST}:${SMTP_SINK_SMTP_PORT}`,
				MAIL_FROM: 'Bulwark <no-reply@bulwark.test>',
			},
		}),
	],
})

/** The built app in production mode on a fresh embedded database in its own data directory. */
function appServer({ port, dataDir, env }: { port: number; dataDir: string; env: Record<string, string> }) {
	const url = `http://localhost:${port}`
	return {
		command: `node -e "require('node:fs').rmSync('${dataDir}', { recursive: true, force: true })" && node server-build/index.js`,
		url: `${url}/healthz`,
		reuseExistingServer: !process.env.CI,
		timeout: 60_000,
		stdout: 'pipe' as const,
		stderr: 'pipe' as const,
		gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
		env: {
			NODE_ENV: 'production',
			PORT: String(port),
			PGLITE_DATA_DIR: dataDir,
			APP_URL: url,
			// Empty values win over a developer's .env: embedded database.
			DATABASE_URL: '',
			TRUST_PROXY: 'false',
			// Production requires a key; this one is for the tests only.
			ENCRYPTION_KEY: 'playwright-tests-encryption-key-0123456789',
			// The outbox worker looks for mail to send often, so an emailed link arrives within the test's wait.
			OUTBOX_POLL_MS: '500',
			...env,
		},
	}
}
