import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'

const STATUS_TITLES: Record<number, string> = {
	400: 'That request could not be handled',
	403: 'Not allowed',
	404: 'Page not found',
	405: 'Not allowed',
	410: 'No longer available',
	413: 'Too much data',
	429: 'Too many attempts',
	503: 'Temporarily unavailable',
}

// For errors that carry no message of ours: Remix's own (no route matches, no action) word
// theirs for developers, naming route ids, so they are never shown.
const STATUS_MESSAGES: Record<number, string> = {
	400: 'The request could not be understood. Check the address, or reload the page and try again.',
	403: 'You do not have permission to see this page.',
	404: 'We could not find that page. Check the address, or start again from the start page.',
	405: 'This page cannot take that kind of request. Open it from a link, or reload it and try again.',
	410: 'This is no longer available.',
	413: 'The request carried more data than is accepted.',
	429: 'Too many attempts. Please wait a few minutes and try again.',
}

/** The error data of a page the server renders for a request it refused (server/errors.ts). */
export type ServerErrorPage = { message: string | null; serverErrorPage: true }

/** Such a page is shown without scripts: the browser is at an address the app does not render. */
export function isServerErrorPage(error: unknown) {
	return isRouteErrorResponse(error) && typeof error.data === 'object' && error.data !== null && 'serverErrorPage' in error.data
}

/** Only our own thrown responses carry `{ message }` (app/utils/http.server.ts). */
function messageOf(data: unknown) {
	if (data && typeof data === 'object' && 'message' in data && typeof data.message === 'string' && data.message.length > 0) return data.message
	return null
}

/** The one place thrown responses and unexpected errors become a page; never a stack trace. */
export function GeneralErrorBoundary() {
	const error = useRouteError()
	const status = isRouteErrorResponse(error) ? error.status : 500
	const title = STATUS_TITLES[status] ?? 'Something went wrong'
	const message = isRouteErrorResponse(error)
		? (messageOf(error.data) ?? STATUS_MESSAGES[status] ?? 'Please check the address and try again.')
		: 'An unexpected error happened on our side. It has been logged; please try again in a moment.'
	return (
		<section className="error-page" aria-labelledby="error-title">
			<p className="error-status">{status}</p>
			<h1 id="error-title">{title}</h1>
			<p>{message}</p>
			<p>
				<Link to="/">Go to the start page</Link>
			</p>
		</section>
	)
}
