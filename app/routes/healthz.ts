import { prisma, usesEmbeddedDatabase } from '#app/utils/db.server.ts'

/** For load balancers and uptime checks: 200 only when the database answers. */
export async function loader() {
	const database = usesEmbeddedDatabase() ? 'embedded' : 'postgresql'
	const headers = { 'Cache-Control': 'no-store' }
	try {
		await prisma.$queryRaw`SELECT 1`
		return Response.json({ status: 'ok', database }, { headers })
	} catch (error) {
		console.error('Health check: the database did not answer', error)
		return Response.json({ status: 'error', database }, { status: 503, headers })
	}
}
