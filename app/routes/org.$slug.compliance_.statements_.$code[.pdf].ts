import type { LoaderFunctionArgs } from '@remix-run/node'
import { renderStatementPdf } from '#app/modules/compliance/statement-pdf.server.ts'
import { statementVerifyPath } from '#app/modules/compliance/statement.ts'
import { requireStatementInOrganisation, requireStatementReader } from '#app/modules/compliance/statements.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireStatementReader(request, params.slug)
	const statement = await requireStatementInOrganisation(organisation.id, params.code)
	const pdf = await renderStatementPdf(statement, `${getAppOrigin(request, getEnv().APP_URL)}${statementVerifyPath(statement.code)}`)
	return new Response(Buffer.from(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="bulwark-statement-${statement.code}.pdf"`,
			'Cache-Control': 'private, no-store',
		},
	})
}
