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

function messageOf(data: unknown) {
	if (typeof data === 'string' && data.length > 0) return data
	if (data && typeof data === 'object' && 'message' in data && typeof data.message === 'string') return data.message
	return null
}

/** The one place thrown responses and unexpected errors become a page; never a stack trace. */
export function GeneralErrorBoundary() {
	const error = useRouteError()
	const status = isRouteErrorResponse(error) ? error.status : 500
	const title = STATUS_TITLES[status] ?? 'Something went wrong'
	const message = isRouteErrorResponse(error)
		? (messageOf(error.data) ?? 'Please check the address and try again.')
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
