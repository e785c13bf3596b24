import { data } from '@remix-run/node'

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
