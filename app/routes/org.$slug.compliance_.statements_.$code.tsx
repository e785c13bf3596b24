import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { StatementCard } from '#app/components/compliance/statement-card.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { statementVerifyPath } from '#app/modules/compliance/statement.ts'
import { requireStatementInOrganisation, requireStatementReader } from '#app/modules/compliance/statements.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'
import statementStylesHref from '#app/styles/statement.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: statementStylesHref }]

export const meta: MetaFunction<typeof loader> = ({ data }) => [
	{ title: data ? `Compliance statement ${data.statement.code} · Bulwark` : 'Compliance statement · Bulwark' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireStatementReader(request, params.slug)
	const statement = await requireStatementInOrganisation(organisation.id, params.code)
	const verifyUrl = `${getAppOrigin(request, getEnv().APP_URL)}${statementVerifyPath(statement.code)}`
	return { organisation, statement, verifyUrl }
}

export default function StatementPage() {
	const { organisation, statement, verifyUrl } = useLoaderData<typeof loader>()
	return (
		<div className="stack statement-page">
			<StatementCard statement={statement} verifyUrl={verifyUrl} />
			<p className="actions no-print">
				<button type="button" onClick={() => window.print()}>
					Print
				</button>
				<a href={`/org/${organisation.slug}/compliance/statements/${statement.code}.pdf`} className="button button-secondary" download>
					Download PDF
				</a>
				<Link to={statementVerifyPath(statement.code)} className="button button-secondary">
					Open the public verification page
				</Link>
				<Link to={`/org/${organisation.slug}/compliance/statements`}>All statements</Link>
			</p>
			<p className="muted small no-print">
				Print this page or download the PDF. Anyone with the code can check these figures; nobody can guess it.
			</p>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
