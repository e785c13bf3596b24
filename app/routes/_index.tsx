import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getAuthSession } from '#app/modules/auth/auth.server.ts'
import { listUserOrganisations } from '#app/modules/organisations/membership.server.ts'
import { ROLE_LABELS } from '#app/modules/organisations/roles.ts'

export async function loader({ request }: LoaderFunctionArgs) {
	const { session } = await getAuthSession(request)
	if (!session) return { user: null, organisations: [] }
	return { user: { name: session.user.name }, organisations: await listUserOrganisations(session.user.id) }
}

export default function Index() {
	const { user, organisations } = useLoaderData<typeof loader>()
	if (!user) {
		return (
			<section className="hero">
				<h1>Security training your people finish, and compliance you can show</h1>
				<p>
					Bulwark is open-source security-awareness training. Learners take short, practical courses; managers see who meets
					the organisation's minimum training, and can prove it to auditors and customers.
				</p>
				<div className="actions">
					<Link to="/signup" className="button">
						Sign up free
					</Link>
					<Link to="/login" className="button button-secondary">
						Log in
					</Link>
				</div>
			</section>
		)
	}
	return (
		<section className="stack">
			<h1>Welcome, {user.name}</h1>
			<h2>Your organisations</h2>
			{organisations.length === 0 ? (
				<p>You are not in an organisation yet. Create one for your company, or accept an invitation from a colleague.</p>
			) : (
				<ul className="grid plain-list" aria-label="Your organisations">
					{organisations.map(({ organisation, role }) => (
						<li key={organisation.id} className="card">
							<h3 className="flush">
								<Link to={`/org/${organisation.slug}`}>{organisation.name}</Link>
							</h3>
							<p className="muted">Your role: {ROLE_LABELS[role]}</p>
						</li>
					))}
				</ul>
			)}
			<p>
				<Link to="/orgs/new" className="button button-secondary">
					Create an organisation
				</Link>
			</p>
		</section>
	)
}
