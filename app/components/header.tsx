import { Form, Link, useLocation, useParams } from '@remix-run/react'
import { useCallback } from 'react'
import { ROLE_LABELS } from '#app/modules/organisations/roles.ts'
import type { Role } from '#app/generated/prisma/enums.ts'

interface HeaderProps {
	user: { name: string; email: string } | null
	organisations: Array<{ role: Role; organisation: { id: string; slug: string; name: string } }>
	currentOrganisationId: string | null
}

export function SiteHeader({ user, organisations, currentOrganisationId }: HeaderProps) {
	// On an organisation's pages the URL says which one is current (the root loader does not run
	// again on navigation); elsewhere it is the one the session last worked in.
	const { slug } = useParams()
	const { pathname } = useLocation()
	// A menu left open would cover the page the person just chose; a new ref callback per
	// path closes both menus after every navigation.
	const closeOnNavigation = useCallback((menu: HTMLDetailsElement | null) => menu?.removeAttribute('open'), [pathname])
	const current =
		organisations.find((entry) => entry.organisation.slug === slug) ??
		organisations.find((entry) => entry.organisation.id === currentOrganisationId) ??
		organisations[0]
	return (
		<header className="site-header">
			<div className="site-header-inner">
				<Link to="/" className="brand" aria-label="Bulwark home">
					<span aria-hidden="true" className="brand-mark">
						◆
					</span>{' '}
					Bulwark
				</Link>
				<nav aria-label="Main" className="header-nav main-nav">
					<Link to="/courses">Courses</Link>
					{user ? <Link to="/dashboard">My training</Link> : null}
				</nav>
				{user ? (
					<nav aria-label="Account" className="header-nav">
						<details className="menu" ref={closeOnNavigation}>
							<summary>
								<span className="menu-label">Organisation</span>
								<span className="menu-value">{current ? current.organisation.name : 'None yet'}</span>
							</summary>
							<ul className="menu-list">
								{organisations.map((entry) => (
									<li key={entry.organisation.id}>
										<Link to={`/org/${entry.organisation.slug}`} aria-current={entry === current ? 'true' : undefined}>
											{entry.organisation.name} <span className="muted">· {ROLE_LABELS[entry.role]}</span>
										</Link>
									</li>
								))}
								<li>
									<Link to="/orgs/new">Create an organisation</Link>
								</li>
							</ul>
						</details>
						<details className="menu" ref={closeOnNavigation}>
							<summary>
								<span className="menu-label">Signed in as</span>
								<span className="menu-value">{user.name}</span>
							</summary>
							<ul className="menu-list">
								<li className="muted">{user.email}</li>
								<li>
									<Link to="/settings">Account settings</Link>
								</li>
								<li>
									<Form method="POST" action="/logout">
										<button type="submit" className="link-button">
											Log out
										</button>
									</Form>
								</li>
							</ul>
						</details>
					</nav>
				) : (
					<nav aria-label="Account" className="header-nav">
						<Link to="/login">Log in</Link>
						<Link to="/signup" className="button button-small">
							Sign up
						</Link>
					</nav>
				)}
			</div>
		</header>
	)
}
