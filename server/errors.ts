import {
	type AppLoadContext,
	createReadableStreamFromReadable,
	createRequestHandler,
	type ServerBuild,
	writeReadableStreamToWritable,
} from '@remix-run/node'
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express'
import { SESSION_COOKIE_NAME } from '#app/modules/auth/session.server.ts'

/** A client error the server answers by itself, before or instead of a route; shown as the app's error page. */
export class ClientError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message)
	}
}

const MALFORMED_PATH =
	'This address is not valid: it contains a % sign that is not followed by two hexadecimal digits. Check the link and try again.'
const LEGACY_DATA_REQUEST = 'This address asks for page data in a way Bulwark no longer answers. Reload the page.'
const METHOD_NOT_ALLOWED = 'This address can only be opened, not sent a form or other request to.'

/** A path Express or Remix cannot decode (`/courses/%zz`) is a 400, answered before anything tries to. */
export function rejectMalformedPaths(req: Request, _res: Response, next: NextFunction) {
	try {
		decodeURIComponent(req.path)
	} catch {
		return next(new ClientError(400, MALFORMED_PATH))
	}
	next()
}

/**
 * `?_data=` is the data protocol of Remix before single fetch; this app's pages never send it.
 * Remix would answer it anyway and log a warning for each, so it is refused here, silently.
 */
export function rejectLegacyDataRequests(req: Request, _res: Response, next: NextFunction) {
	const query = req.originalUrl.indexOf('?')
	if (query !== -1 && new URLSearchParams(req.originalUrl.slice(query)).has('_data')) {
		return next(new ClientError(400, LEGACY_DATA_REQUEST))
	}
	next()
}

/** Whatever a page shows, a response to someone who is (or is becoming) signed in is kept by no cache. */
function applyCachePolicy(req: Request, response: globalThis.Response) {
	const sessionCookie = `${SESSION_COOKIE_NAME}=`
	const hasSession = (req.get('Cookie') ?? '').split(';').some((cookie) => cookie.trim().startsWith(sessionCookie))
	const signsIn = response.headers.getSetCookie().some((cookie) => cookie.startsWith(sessionCookie))
	if (hasSession || signsIn) response.headers.set('Cache-Control', 'private, no-store')
}

/**
 * The Fetch Request for an Express request, as @remix-run/express builds it (which does not export
 * its helpers): the host as Express resolves it (X-Forwarded-Host only behind a trusted proxy).
 */
function toFetchRequest(req: Request, res: Response) {
	const port = /:(\d+)$/.exec(req.get('X-Forwarded-Host') ?? req.get('Host') ?? '')?.[1]
	const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${req.originalUrl}`)
	// Loaders and actions stop when the client goes away before the response is written.
	const controller = new AbortController()
	res.on('close', () => {
		if (!res.writableFinished) controller.abort()
	})
	const headers = new Headers()
	for (const [name, value] of Object.entries(req.headers)) {
		for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item)
	}
	const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
	return new Request(url, {
		method: req.method,
		headers,
		signal: controller.signal,
		...(hasBody ? { body: createReadableStreamFromReadable(req), duplex: 'half' } : {}),
	} as RequestInit)
}

async function send(res: Response, response: globalThis.Response) {
	res.statusMessage = response.statusText
	res.status(response.status)
	for (const [name, value] of response.headers.entries()) res.append(name, value)
	if (response.body) await writeReadableStreamToWritable(response.body, res)
	else res.end()
}

/** The client-error status an Express-level error carries (`status` or `statusCode`), else 500. */
function statusOf(error: unknown) {
	const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown }
	const code = status ?? statusCode
	return typeof code === 'number' && code >= 400 && code < 500 ? code : 500
}

/**
 * The Remix request handler, plus the error page for everything the server refuses by itself.
 * Every error answer is the app's own error page with a readable message; client errors are not
 * logged (they are expected, and logging them would let anyone flood the log), server errors once.
 */
export function createAppRequestHandler({
	build,
	mode,
	getLoadContext,
}: {
	build: ServerBuild | (() => Promise<ServerBuild>)
	mode: string
	getLoadContext: (req: Request, res: Response) => AppLoadContext
}) {
	const handle = createRequestHandler(build, mode)

	/**
	 * Renders the root error boundary for `status` with `message`. It is rendered as the start page
	 * without the visitor's cookies, so no loader acts for them, and without scripts (the browser
	 * is at another address, which the app must not try to take over): the page is only a message.
	 */
	async function sendErrorPage(req: Request, res: Response, error: { status: number; message?: string; headers?: Record<string, string> }) {
		const request = new Request(new URL('/', `${req.protocol}://${req.hostname}`), { headers: { Accept: 'text/html' } })
		const response = await handle(request, { ...getLoadContext(req, res), errorPage: { status: error.status, message: error.message } })
		for (const [name, value] of Object.entries(error.headers ?? {})) response.headers.set(name, value)
		response.headers.set('Cache-Control', 'no-store')
		await send(res, req.method === 'HEAD' ? new Response(null, response) : response)
	}

	const requestHandler: RequestHandler = async (req, res, next) => {
		try {
			const response = await handle(toFetchRequest(req, res), getLoadContext(req, res))
			// A resource route (JSON, CSV, PDF) Remix refused by itself, or one that threw a client
			// error: Remix answers JSON saying "Unexpected Server Error"; show the error page instead.
			if (response.headers.get('X-Remix-Error') === 'yes' && response.status < 500 && !req.path.endsWith('.data')) {
				const methodNotAllowed = response.status === 405
				await sendErrorPage(req, res, {
					status: response.status,
					message: methodNotAllowed ? METHOD_NOT_ALLOWED : undefined,
					headers: methodNotAllowed ? { Allow: 'GET, HEAD' } : {},
				})
				return
			}
			applyCachePolicy(req, response)
			await send(res, response)
		} catch (error) {
			next(error)
		}
	}

	const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
		if (res.headersSent) return next(error)
		const status = error instanceof ClientError ? error.status : statusOf(error)
		if (status >= 500) console.error(`Error while handling ${req.method} ${req.originalUrl}:`, error)
		// Express's own URIError: a path it could not decode for a route parameter.
		const page =
			error instanceof ClientError
				? { status, message: error.message, headers: error.headers }
				: { status, message: error instanceof URIError ? MALFORMED_PATH : undefined }
		sendErrorPage(req, res, page).catch((renderError: unknown) => {
			console.error('Rendering the error page failed:', renderError)
			if (!res.headersSent) res.status(status).type('text/plain').send('Something went wrong. Please try again in a moment.')
		})
	}

	return { requestHandler, errorHandler }
}
