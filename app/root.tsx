import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useLocation, useRouteError, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { GeneralErrorBoundary, isServerErrorPage, type ServerErrorPage } from './components/error-boundary.tsx'
import { SiteHeader } from './components/header.tsx'
import { ACCOUNT_MESSAGES } from './modules/auth/account-messages.ts'
import { getAuthSession } from './modules/auth/auth.server.ts'
import appStylesHref from './styles/app.css?url'
import { isEmailConfigured } from './utils/email.server.ts'
import { consumeFlash } from './utils/flash.server.ts'
import { useNonce } from './utils/nonce-provider.tsx'

export const links: LinksFunction = () => [
	{ rel: 'stylesheet', href: appStylesHref },
	{ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [
	{ title: 'Bulwark · Security-awareness training' },
	{ name: 'description', content: 'Security-awareness training and minimum-training compliance you can show.' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
	// A request the server refused by itself (server/errors.ts) gets only the error page.
	if (context.errorPage) {
		const { status, message } = context.errorPage
		throw data({ message: message ?? null, serverErrorPage: true } satisfies ServerErrorPage, { status })
	}
	const [{ session, headers }, { flash, headers: flashHeaders }] = await Promise.all([
		getAuthSession(request),
		consumeFlash(request),
	])
	for (const cookie of flashHeaders.getSetCookie()) headers.append('Set-Cookie', cookie)
	return data(
		{
			user: session ? { name: session.user.name, email: session.user.email, emailVerified: session.user.emailVerified } : null,
			emailConfigured: isEmailConfigured(),
			organisations: session?.organisations ?? [],
			currentOrganisationId: session?.currentOrganisationId ?? null,
			flash,
		},
		{ headers },
	)
}

function Document({ children, scripts = true }: { children: ReactNode; scripts?: boolean }) {
	const nonce = useNonce()
	return (
		<html lang="en">
			<head>
				<meta charSet="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<Meta />
				<Links />
			</head>
			<body>
				<a href="#main" className="skip-link">
					Skip to content
				</a>
				{children}
				{scripts ? (
					<>
						<ScrollRestoration nonce={nonce} />
						<Scripts nonce={nonce} />
					</>
				) : null}
			</body>
		</html>
	)
}

/** Until the signed-in person confirms their address (docs/decisions/028). */
function UnverifiedEmailBanner({ emailConfigured }: { emailConfigured: boolean }) {
	const { pathname, search } = useLocation()
	if (!emailConfigured) {
		return (
			<div className="notice-banner">
				<p>{ACCOUNT_MESSAGES.bannerUnverifiedWithoutEmail}</p>
			</div>
		)
	}
	return (
		<div className="notice-banner">
			<p>{ACCOUNT_MESSAGES.bannerUnverified}</p>
			<Form method="POST" action="/verify-email">
				<input type="hidden" name="intent" value="resend" />
				<input type="hidden" name="redirectTo" value={`${pathname}${search}`} />
				<button type="submit" className="button-secondary button-small">
					Send a new link
				</button>
			</Form>
		</div>
	)
}

function Layout({ children }: { children: ReactNode }) {
	const rootData = useRouteLoaderData<typeof loader>('root')
	return (
		<>
			<SiteHeader
				user={rootData?.user ?? null}
				organisations={rootData?.organisations ?? []}
				currentOrganisationId={rootData?.currentOrganisationId ?? null}
			/>
			<main id="main" tabIndex={-1}>
				{rootData?.user && !rootData.user.emailVerified ? <UnverifiedEmailBanner emailConfigured={rootData.emailConfigured} /> : null}
				{rootData?.flash ? (
					<p role={rootData.flash.type === 'error' ? 'alert' : 'status'} className={`flash flash-${rootData.flash.type}`}>
						{rootData.flash.message}
					</p>
				) : null}
				{children}
			</main>
			<footer className="site-footer">
				<p>Bulwark: open-source security-awareness training, in the spirit of the Charter of Trust.</p>
			</footer>
		</>
	)
}

export default function App() {
	useLoaderData<typeof loader>()
	return (
		<Document>
			<Layout>
				<Outlet />
			</Layout>
		</Document>
	)
}

export function ErrorBoundary() {
	const error = useRouteError()
	return (
		<Document scripts={!isServerErrorPage(error)}>
			<Layout>
				<GeneralErrorBoundary />
			</Layout>
		</Document>
	)
}
