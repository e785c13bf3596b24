import { data, type HeadersFunction } from '@remix-run/node'

/** Thrown from loaders and actions; the shared error boundary renders the message. */
export function notFound(message = 'We could not find that page.') {
	return data({ message }, { status: 404 })
}

export function forbidden(message = 'You do not have permission to see this page.') {
	return data({ message }, { status: 403 })
}

export function badRequest(message: string) {
	return data({ message }, { status: 400 })
}

/** The origin links in emails point to: APP_URL when set (behind a proxy), else this request's. */
export function getAppOrigin(request: Request, appUrl?: string) {
	return appUrl ? new URL(appUrl).origin : new URL(request.url).origin
}

/** A route's `headers` export that sends an action's Retry-After (Remix forwards only cookies by itself). */
export const forwardRetryAfter: HeadersFunction = ({ actionHeaders }) => {
	const headers = new Headers()
	const retryAfter = actionHeaders.get('Retry-After')
	if (retryAfter) headers.set('Retry-After', retryAfter)
	return headers
}

/** A page whose address holds a secret (an emailed link's token): no cache may keep it. */
export const keepOutOfCaches: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

/** A form refused by a rate limit: 429, the wait in Retry-After, the reason as the form's error. */
export function tooManyAttempts<Result>(
	submission: { reply: (options: { formErrors: string[]; hideFields: string[] }) => Result },
	refusal: { message: string; retryAfterSeconds: number },
	hideFields: string[],
) {
	return data(
		{ result: submission.reply({ formErrors: [refusal.message], hideFields }) },
		{ status: 429, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } },
	)
}
