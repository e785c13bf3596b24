import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { getOrganisationSummary } from '#app/modules/organisations/organisations.server.ts'
import { canAdminister, canSeeMembers } from '#app/modules/organisations/roles.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation, membership } = await requireMembership(request, params.slug)
	return { slug: organisation.slug, role: membership.role, summary: await getOrganisationSummary(organisation.id) }
}

export default function OrganisationOverview() {
	const { slug, role, summary } = useLoaderData<typeof loader>()
	return (
		<div className="stack">
			<div className="grid">
				<div className="card">
					<p className="muted">Active members</p>
					<p className="stat-value">{summary.activeMembers}</p>
				</div>
				<div className="card">
					<p className="muted">Departments</p>
					<p className="stat-value">{summary.departments}</p>
				</div>
				<div className="card">
					<p className="muted">Open invitations</p>
					<p className="stat-value">{summary.openInvitations}</p>
				</div>
			</div>
			{canAdminister(role) ? (
				<p className="actions">
					<Link to={`/org/${slug}/invitations`} className="button">
						Invite a colleague
					</Link>
					<Link to={`/org/${slug}/members`} className="button button-secondary">
						Manage members
					</Link>
				</p>
			) : canSeeMembers(role) ? (
				<p>
					<Link to={`/org/${slug}/members`}>See the members</Link>
				</p>
			) : null}
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
