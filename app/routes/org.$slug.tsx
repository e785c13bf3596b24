import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { NavLink, Outlet, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { canAdminister, canSeeMembers, ROLE_LABELS } from '#app/modules/organisations/roles.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.organisation.name ?? 'Organisation'} · Bulwark` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation, membership } = await requireMembership(request, params.slug)
	return { organisation, role: membership.role }
}

export default function OrganisationLayout() {
	const { organisation, role } = useLoaderData<typeof loader>()
	const base = `/org/${organisation.slug}`
	const tabs = [
		{ to: base, label: 'Overview', end: true, visible: true },
		{ to: `${base}/compliance`, label: 'Compliance', visible: canSeeMembers(role) },
		{ to: `${base}/members`, label: 'Members', visible: canSeeMembers(role) },
		{ to: `${base}/invitations`, label: 'Invitations', visible: canAdminister(role) },
		{ to: `${base}/departments`, label: 'Departments', visible: canAdminister(role) },
		{ to: `${base}/requirements`, label: 'Requirements', visible: canAdminister(role) },
		{ to: `${base}/outbox`, label: 'Outbox', visible: canAdminister(role) },
		{ to: `${base}/sso`, label: 'Single sign-on', visible: canAdminister(role) },
		{ to: `${base}/provisioning`, label: 'Provisioning', visible: canAdminister(role) },
		{ to: `${base}/security`, label: 'Security', visible: canAdminister(role) },
		{ to: `${base}/audit`, label: 'Audit log', visible: canAdminister(role) },
	]
	return (
		<div>
			<p className="muted flush">
				Organisation · you are {ROLE_LABELS[role].toLowerCase()}
			</p>
			<h1 className="flush-top">{organisation.name}</h1>
			<nav aria-label="Organisation" className="org-nav">
				{tabs
					.filter((tab) => tab.visible)
					.map((tab) => (
						<NavLink key={tab.to} to={tab.to} end={tab.end} prefetch="intent">
							{tab.label}
						</NavLink>
					))}
			</nav>
			<Outlet />
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
