import type { LoaderFunctionArgs } from '@remix-run/node'
import { logDatabaseOutage, RETRY_AFTER_SECONDS } from '#app/modules/db/availability.server.ts'
import { checkDatabaseWritable } from '#app/modules/db/health.server.ts'
import { usesEmbeddedDatabase } from '#app/utils/db.server.ts'

/**
 * For load balancers and uptime checks: 200 only when the database takes a write. Every wait on
 * it is limited (DATABASE_CONNECT_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS), so a silent database
 * answers 503 within those limits rather than hanging.
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const database = usesEmbeddedDatabase() ? 'embedded' : 'postgresql'
	try {
		await checkDatabaseWritable()
		return Response.json({ status: 'ok', database }, { headers: { 'Cache-Control': 'no-store' } })
	} catch (error) {
		// The same throttled line as every other request the database could not serve: checks come every few seconds.
		logDatabaseOutage(request, error)
		return Response.json(
			{ status: 'error', database, reason: 'The database did not take a write.' },
			{ status: 503, headers: { 'Cache-Control': 'no-store', 'Retry-After': String(RETRY_AFTER_SECONDS) } },
		)
	}
}
