import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { StatementCard } from '#app/components/compliance/statement-card.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { requirePublicStatement } from '#app/modules/compliance/statements.server.ts'
import { formatDate } from '#app/utils/format-date.ts'
import statementStylesHref from '#app/styles/statement.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: statementStylesHref }]

export const meta: MetaFunction = () => [{ title: 'Verify a compliance statement · Bulwark' }, { name: 'robots', content: 'noindex' }]

/** Public: the figures exactly as issued, and nothing else about the organisation. */
export async function loader({ params }: LoaderFunctionArgs) {
	return { statement: await requirePublicStatement(params.code) }
}

export default function VerifyStatement() {
	const { statement } = useLoaderData<typeof loader>()
	return (
		<div className="stack">
			<section className="card verify statement-check" aria-labelledby="verify-title">
				<h1 id="verify-title" className="flush-top">
					Compliance statement check
				</h1>
				<p role="status" className="verify-status status-valid">
					This statement is genuine: Bulwark issued it to {statement.organisationName}.
				</p>
				<p className="flush">
					It shows the organisation’s training compliance as of {formatDate(statement.issuedAt)}, the day it was issued, and does not change
					afterwards. The figures below are those on the statement.
				</p>
			</section>
			<StatementCard statement={statement} />
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
