import { type ActionFunctionArgs, data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DataTable } from '#app/components/data-table.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { IssueStatementSchema } from '#app/modules/compliance/schemas.ts'
import { formatCount, formatPercent, statementVerifyPath } from '#app/modules/compliance/statement.ts'
import { issueStatement, listStatements, requireStatementReader, STATEMENT_LIST_LIMIT } from '#app/modules/compliance/statements.server.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { formatDate } from '#app/utils/format-date.ts'
import statementStylesHref from '#app/styles/statement.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: statementStylesHref }]

export const meta: MetaFunction = () => [{ title: 'Compliance statements · Bulwark' }]


export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireStatementReader(request, params.slug)
	return { organisation, statements: await listStatements(organisation.id), listLimit: STATEMENT_LIST_LIMIT }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { organisation, user } = await requireStatementReader(request, params.slug)
	const submission = await readSubmission(request, IssueStatementSchema)
	if (submission.status !== 'success') return data({ message: 'Use the “Issue a statement” button to issue a statement.' }, { status: 400 })
	const statement = await issueStatement({ organisationId: organisation.id, actorId: user.id, at: new Date() })
	return redirectWithFlash(`/org/${organisation.slug}/compliance/statements/${statement.code}`, {
		type: 'success',
		message: `Statement ${statement.code} issued: ${formatPercent(statement.percentCompliant)} of members compliant.`,
	})
}

export default function StatementsPage() {
	const { organisation, statements, listLimit } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const issuing = useNavigation().formData?.get('intent') === 'issue'
	const base = `/org/${organisation.slug}/compliance/statements`
	return (
		<section className="stack">
			<h2>Compliance statements</h2>
			<p>
				A statement records the whole organisation’s training compliance at the moment it is issued: how many members meet their requirements,
				and the figures per requirement. Hand it to a customer or auditor as a page or PDF; anyone with its code can check the figures on Bulwark,
				and they never change afterwards.
			</p>
			<Form method="POST" className="actions">
				<button type="submit" name="intent" value="issue" disabled={issuing}>
					{issuing ? 'Issuing…' : 'Issue a statement'}
				</button>
				<Link to={`/org/${organisation.slug}/compliance`}>Back to the dashboard</Link>
			</Form>
			{actionData?.message ? (
				<p className="form-error" role="alert">
					{actionData.message}
				</p>
			) : null}
			{statements.length === 0 ? (
				<p>No statement has been issued yet.</p>
			) : (
				<DataTable caption="Issued statements, newest first" columns={['Issued (UTC)', 'Compliant', 'Code', 'Open']}>
					{statements.map((statement) => (
						<tr key={statement.code}>
							<td>
								<time dateTime={new Date(statement.issuedAt).toISOString()}>
									{formatDate(statement.issuedAt)}, {new Date(statement.issuedAt).toISOString().slice(11, 16)}
								</time>
							</td>
							<td>
								{formatPercent(statement.percentCompliant)} ({formatCount(statement.compliant)} of {formatCount(statement.members)})
							</td>
							<td>
								<code>{statement.code}</code>
							</td>
							<td className="actions">
								<Link to={`${base}/${statement.code}`}>Printable page</Link>
								<a href={`${base}/${statement.code}.pdf`} download>
									PDF
								</a>
								<Link to={statementVerifyPath(statement.code)}>Public check</Link>
							</td>
						</tr>
					))}
				</DataTable>
			)}
			{statements.length === listLimit ? <p className="muted small">The {listLimit} most recent statements are listed.</p> : null}
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
