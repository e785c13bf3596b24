import type { LoaderFunctionArgs } from '@remix-run/node'
import { streamComplianceCsv } from '#app/modules/compliance/export.server.ts'
import { requireManagerScope } from '#app/modules/organisations/manager-scope.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation, scope } = await requireManagerScope(request, params.slug)
	const at = new Date()
	return new Response(streamComplianceCsv(scope, at), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${organisation.slug}-compliance-${at.toISOString().slice(0, 10)}.csv"`,
			'Cache-Control': 'private, no-store',
		},
	})
}
