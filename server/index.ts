import 'dotenv/config'
import './check-env.ts'
import crypto from 'node:crypto'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { runDailyCompliance } from '#app/modules/compliance/daily-run.server.ts'
import { getCourseLibrary } from '#app/modules/courses/course-library.server.ts'
import { CLEANUP_INTERVAL_MS, deleteExpiredRecords } from '#app/modules/maintenance/cleanup.server.ts'
import { startOutboxWorker } from '#app/modules/mail/worker.server.ts'
import { configuredMigrationDriver } from '#app/modules/db/migration-drivers.server.ts'
import { applyMigrations, findPendingMigrations, MigrationError } from '#app/modules/db/migrations.server.ts'
import { answerDatabaseOutages, explainStartupFailure } from '#app/modules/db/availability.server.ts'
import { disconnectDatabase, usesEmbeddedDatabase } from '#app/utils/db.server.ts'
import { configuredAppOrigin, getEnv } from '#app/utils/env.server.ts'
import { withRequestMemo } from '#app/utils/request-memo.server.ts'
import { allowOnlyFormMethods, createAppRequestHandler, rejectLegacyDataRequests, rejectMalformedPaths } from './errors.ts'
import { checkProxySetting, configurationWarnings, limitBodySize, permissionsPolicy, rejectForeignOrigins, securityHeaders } from './security.ts'

const env = getEnv()
const production = env.NODE_ENV === 'production'

// The embedded database migrates itself; a PostgreSQL server is migrated by `npm run db:migrate`
// as a deployment step (docs/decisions/003-migrations-runner.md), and the app refuses to start
// on a schema older than its code. Every wait on the database is limited, so a server that is down
// or silent stops the start with the cause and the fix instead of hanging.
try {
	const driver = await configuredMigrationDriver({ limitStatements: true })
	if (usesEmbeddedDatabase()) {
		const { applied } = await applyMigrations(driver)
		if (applied.length > 0) console.log(`Applied ${applied.length} migration(s) to the embedded database.`)
	} else {
		const pending = await findPendingMigrations(driver)
		if (pending.length > 0) {
			throw new MigrationError(`${pending.length} migration(s) are not applied yet (${pending.join(', ')}). Run \`npm run db:migrate\` first.`)
		}
	}
} catch (error) {
	const reason = error instanceof MigrationError ? error.message : explainStartupFailure(error, { embedded: usesEmbeddedDatabase(), connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS })
	console.error(`Start-up refused: ${reason}`)
	process.exit(1)
}

// Production serves the course manifest `npm run build` wrote; without it, refuse to start
// rather than answer every course page with an error.
if (production) {
	try {
		const { courses } = await getCourseLibrary()
		console.log(`Serving ${courses.length} compiled course(s).`)
	} catch (error) {
		console.error(`Start-up refused: ${error instanceof Error ? error.message : error}`)
		process.exit(1)
	}
}

const viteDevServer = production
	? undefined
	: await import('vite').then((vite) => vite.createServer({ server: { middlewareMode: true } }))

// A variable path keeps esbuild from bundling the Remix build into the server bundle.
const REMIX_BUILD_PATH = '../build/server/index.js'

const app = express()
app.disable('x-powered-by')
// One reverse proxy in front: the client address is the last hop it appended, which a client cannot forge.
if (env.TRUST_PROXY) app.set('trust proxy', 1)

const { requestHandler, errorHandler } = createAppRequestHandler({
	// Every route answers 503 while the database cannot serve (docs/decisions/018).
	build: viteDevServer
		? async () => answerDatabaseOutages((await viteDevServer.ssrLoadModule('virtual:remix/server-build')) as ServerBuild)
		: answerDatabaseOutages((await import(REMIX_BUILD_PATH)) as ServerBuild),
	mode: env.NODE_ENV,
	getLoadContext: (req, res) => ({
		cspNonce: res.locals.cspNonce as string,
		clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
	}),
})

app.use((_req, res, next) => {
	res.locals.cspNonce = crypto.randomBytes(16).toString('base64')
	next()
})
app.use(securityHeaders({ production }))
app.use(permissionsPolicy)
app.use(compression())
app.use(rejectMalformedPaths)
app.use(allowOnlyFormMethods)
app.use(checkProxySetting({ trustProxy: env.TRUST_PROXY }))
app.use(rejectForeignOrigins({ trustProxy: env.TRUST_PROXY }))
app.use(limitBodySize(env.MAX_BODY_BYTES))

if (viteDevServer) {
	app.use(viteDevServer.middlewares)
} else {
	// Remix fingerprints its assets, so they can be cached for a year.
	app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }))
	app.use(express.static('build/client', { maxAge: '1h' }))
}

app.use(rejectLegacyDataRequests)
app.all('*', (req, _res, next) => withRequestMemo(req.method, next), requestHandler)
// Every refusal above and any error below it: the app's error page, never Express's own.
app.use(errorHandler)

// At start and every hour: expired sessions and closed rate-limit windows are deleted, and the
// daily compliance run (snapshot and digests) is made; it does nothing twice on one UTC day.
async function cleanUp() {
	await deleteExpiredRecords().catch((error: unknown) => console.error('Deleting expired records failed', error))
	await runDailyCompliance({ origin: configuredAppOrigin() }).catch((error: unknown) => console.error('The daily compliance run failed', error))
}
void cleanUp()
setInterval(cleanUp, CLEANUP_INTERVAL_MS).unref()

// Every process delivers the outbox; on one PostgreSQL each message is still sent once (decision 023).
const outboxWorker = startOutboxWorker({ pollMs: env.OUTBOX_POLL_MS })

for (const warning of configurationWarnings(env)) console.warn(warning)
if (env.SMTP_URL && !env.APP_URL) {
	console.warn(`SMTP_URL is set but APP_URL is not: links in the daily digest will point to http://localhost:${env.PORT}. Set APP_URL to the public address.`)
}

const server = app.listen(env.PORT, () => {
	console.log(`Bulwark is listening on http://localhost:${env.PORT} (${usesEmbeddedDatabase() ? 'embedded database' : 'PostgreSQL'})`)
})

// Let the requests in flight finish (for at most 10 s), then close PGlite cleanly so its data
// directory is consistent for the next start. A PostgreSQL server that went silent does not
// hold the exit up for more than 5 s.
async function shutdown() {
	await new Promise<void>((resolve) => {
		server.close(() => resolve())
		server.closeIdleConnections()
		setTimeout(resolve, 10_000).unref()
	})
	await viteDevServer?.close()
	await Promise.race([outboxWorker.stop(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())])
	await Promise.race([disconnectDatabase(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())])
	process.exit(0)
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
