import {
	type AppLoadContext,
	createReadableStreamFromReadable,
	createRequestHandler,
	type ServerBuild,
	writeReadableStreamToWritable,
} from '@remix-run/node'
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express'
import { SESSION_COOKIE_NAME } from '#app/modules/auth/session.server.ts'
import { isScimPath, SCIM_CONTENT_TYPE, scimErrorBody } from '#app/modules/scim/errors.ts'
import { loggablePath } from '#app/utils/loggable-path.ts'

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

const SCIM_SERVER_ERROR = 'Bulwark could not answer this request just now. Try again in a moment.'
const SCIM_REFUSED = 'Bulwark could not take this request as it was sent.'

const MALFORMED_HOST = 'This request names no valid host, so it cannot be answered. Open the site from its address.'

/** Whether the request's Host header makes a URL (`exa mple`, `[::1` or port 99999 do not). */
function hasValidHost(req: Request) {
	try {
		new URL(`http://${req.get('Host') ?? ''}`)
		return Boolean(req.get('Host'))
	} catch {
		return false
	}
}

/**
 * A path Express or Remix cannot decode (`/courses/%zz`), or a Host header no URL can be built
 * from, is a 400, answered before anything tries to.
 */
export function rejectMalformedPaths(req: Request, _res: Response, next: NextFunction) {
	if (!hasValidHost(req)) return next(new ClientError(400, MALFORMED_HOST))
	try {
		decodeURIComponent(req.path)
	} catch {
		return next(new ClientError(400, MALFORMED_PATH))
	}
	next()
}

const FORM_METHODS = ['GET', 'HEAD', 'POST']
/** SCIM (RFC 7644) updates with PUT and PATCH and deletes with DELETE; only under /scim/v2/. */
const SCIM_METHODS = [...FORM_METHODS, 'PUT', 'PATCH', 'DELETE']
const METHOD_NOT_TAKEN = 'This page cannot take that kind of request. Open it from a link, or reload it and try again.'

/**
 * Pages are opened (GET, HEAD) and forms posted (POST); nothing else answers another method.
 * Remix would run a page's action for PUT or DELETE and a resource route's loader for OPTIONS.
 */
export function allowOnlyFormMethods(req: Request, _res: Response, next: NextFunction) {
	const allowed = isScimPath(req.path) ? SCIM_METHODS : FORM_METHODS
	if (allowed.includes(req.method)) return next()
	next(new ClientError(405, METHOD_NOT_TAKEN, { Allow: allowed.join(', ') }))
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

type DataWithResponseInit = { type: 'DataWithResponseInit'; data: unknown; init: ResponseInit | null }

const isDataWithResponseInit = (value: unknown): value is DataWithResponseInit =>
	typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'DataWithResponseInit'

const keptBuilds = new WeakMap<ServerBuild, ServerBuild>()

/**
 * A resource route (CSV, PDF, health check) that throws `data({ message }, { status })` would
 * reach Remix's resource handler as an error response, which it answers "Unexpected Server
 * Error"; rethrown as a Response it passes through with its message, for the error page below.
 */
function keepResourceRouteMessages(build: ServerBuild): ServerBuild {
	const known = keptBuilds.get(build)
	if (known) return known
	const rethrow = <Args extends unknown[], Result>(handler: (...args: Args) => Result) =>
		async (...args: Args) => {
			try {
				return await handler(...args)
			} catch (error) {
				throw isDataWithResponseInit(error) ? Response.json(error.data, error.init ?? undefined) : error
			}
		}
	const routes: ServerBuild['routes'] = {}
	for (const [id, route] of Object.entries(build.routes)) {
		if (!route) continue
		const { loader, action, default: component } = route.module
		routes[id] = component
			? route
			: { ...route, module: { ...route.module, ...(loader ? { loader: rethrow(loader) } : {}), ...(action ? { action: rethrow(action) } : {}) } }
	}
	const kept = { ...build, routes }
	keptBuilds.set(build, kept)
	return kept
}

/** The `{ message }` of a JSON answer the app threw, if it has one. */
async function messageIn(response: globalThis.Response) {
	if (!response.headers.get('Content-Type')?.includes('json')) return undefined
	const body = (await response.json().catch(() => null)) as { message?: unknown } | null
	return typeof body?.message === 'string' ? body.message : undefined
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
	const handle = createRequestHandler(
		typeof build === 'function' ? async () => keepResourceRouteMessages(await build()) : keepResourceRouteMessages(build),
		mode,
	)

	/**
	 * Renders the root error boundary for `status` with `message`. It is rendered as the start page
	 * without the visitor's cookies, so no loader acts for them, and without scripts (the browser
	 * is at another address, which the app must not try to take over): the page is only a message.
	 */
	async function sendErrorPage(req: Request, res: Response, error: { status: number; message?: string; headers?: Record<string, string> }) {
		// The page links only to paths, so it needs no host of the visitor's (which may be the refused part).
		const request = new Request('http://localhost/', { headers: { Accept: 'text/html' } })
		const response = await handle(request, { ...getLoadContext(req, res), errorPage: { status: error.status, message: error.message } })
		for (const [name, value] of Object.entries(error.headers ?? {})) response.headers.set(name, value)
		response.headers.set('Cache-Control', 'no-store')
		await send(res, req.method === 'HEAD' ? new Response(null, response) : response)
	}

	/** An identity provider reads refusals of the SCIM endpoints in SCIM's error format, not as a page. */
	function sendScimError(res: Response, error: { status: number; message?: string; headers?: Record<string, string> }) {
		const detail = error.message ?? (error.status >= 500 ? SCIM_SERVER_ERROR : SCIM_REFUSED)
		res.status(error.status).set({ ...error.headers, 'Content-Type': SCIM_CONTENT_TYPE, 'Cache-Control': 'no-store' })
		res.send(JSON.stringify(scimErrorBody(error.status, detail)))
	}

	async function sendRefusal(req: Request, res: Response, error: { status: number; message?: string; headers?: Record<string, string> }) {
		if (isScimPath(req.path)) sendScimError(res, error)
		else await sendErrorPage(req, res, error)
	}

	const requestHandler: RequestHandler = async (req, res, next) => {
		try {
			const response = await handle(toFetchRequest(req, res), getLoadContext(req, res))
			// A resource route (JSON, CSV, PDF) Remix refused by itself, or one that threw a client
			// error: Remix answers JSON saying "Unexpected Server Error"; show the error page instead.
			if (response.headers.get('X-Remix-Error') === 'yes' && response.status < 500 && !req.path.endsWith('.data')) {
				const methodNotAllowed = response.status === 405
				await sendRefusal(req, res, {
					status: response.status,
					message: methodNotAllowed ? METHOD_NOT_ALLOWED : undefined,
					headers: methodNotAllowed ? { Allow: 'GET, HEAD' } : {},
				})
				return
			}
			// A resource route that threw one of the app's answers (404, 410, a 503 while the
			// database is away): the error page with its message, not JSON in a download's place.
			if (response.headers.get('X-Remix-Catch') === 'yes' && response.status >= 400 && !req.path.endsWith('.data')) {
				const retryAfter = response.headers.get('Retry-After')
				await sendRefusal(req, res, { status: response.status, message: await messageIn(response), headers: retryAfter ? { 'Retry-After': retryAfter } : {} })
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
		// The path without the query: an OpenID Provider's redirect carries its code and state there.
		if (status >= 500) console.error(`Error while handling ${req.method} ${loggablePath(req.path)}:`, error)
		// Express's own URIError: a path it could not decode for a route parameter.
		const page =
			error instanceof ClientError
				? { status, message: error.message, headers: error.headers }
				: { status, message: error instanceof URIError ? MALFORMED_PATH : undefined }
		sendRefusal(req, res, page).catch((renderError: unknown) => {
			console.error('Rendering the error page failed:', renderError)
			if (!res.headersSent) res.status(status).type('text/plain').send('Something went wrong. Please try again in a moment.')
		})
	}

	return { requestHandler, errorHandler }
}
