import type { ServerBuild } from '@remix-run/node'
import { loggablePath } from '#app/utils/loggable-path.ts'

/**
 * When the database cannot serve a request (stopped, unreachable, saturated, or its files cannot
 * be written), every route answers 503 with a readable message and Retry-After instead of 500
 * (docs/decisions/018-database-timeouts-and-503.md).
 */

/** Seconds a client is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 30

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is not reachable right now; try again in a minute.'

// Prisma: server unreachable, timed out, connection closed, pool timeout, a transaction that could
// not start in time or outlived its timeout. Node: the socket failed. PostgreSQL: shutting down,
// starting up, too many connections, out of disk or memory, a statement or lock wait cancelled by
// its timeout, a read-only server.
const UNAVAILABLE_CODES = new Set([
	'P1001',
	'P1002',
	'P1008',
	'P1017',
	'P2024',
	'P2028',
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'57P01',
	'57P02',
	'57P03',
	'53100',
	'53200',
	'53300',
	'57014',
	'55P03',
	'25006',
])
// SQLSTATE classes 08 (connection exception) and 58 (system error: on PGlite, a data directory
// that cannot be read or written).
const UNAVAILABLE_SQLSTATE_CLASS = /^(08|58)[0-9A-Z]{3}$/
// The driver adapter's names for the same failures.
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'])
// pg's own errors carry no code.
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|not queryable|timeout expired/i

function describes(value: unknown) {
	if (typeof value !== 'object' || value === null) return false
	const { code, originalCode, kind, message } = value as Record<string, unknown>
	return [code, originalCode].some((each) => typeof each === 'string' && (UNAVAILABLE_CODES.has(each) || UNAVAILABLE_SQLSTATE_CLASS.test(each))) ||
		(typeof kind === 'string' && UNAVAILABLE_KINDS.has(kind)) ||
		(typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message))
}

/** What an error wraps: its cause, or the driver's error a Prisma error carries in `meta`. */
function wrapped(error: unknown) {
	const { cause, meta } = error as { cause?: unknown; meta?: { driverAdapterError?: unknown } }
	return cause ?? meta?.driverAdapterError
}

/** Whether `error` (a Prisma, pg or PGlite error, or one wrapping it) says the database cannot serve now. */
export function isDatabaseUnavailable(error: unknown): boolean {
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		if (describes(current)) return true
		current = wrapped(current)
	}
	return false
}

/**
 * The answer to a request the database could not serve: `{ message }` like every response the app
 * throws, so the error boundary shows it, and a resource route's client can read it too.
 */
export function databaseUnavailableResponse() {
	return Response.json(
		{ message: DATABASE_UNAVAILABLE_MESSAGE },
		{ status: 503, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' } },
	)
}

/** A thrown value that is not an Error (PGlite and the driver adapter throw plain objects): its message, code or JSON. */
function describeThrown(value: unknown) {
	if (typeof value !== 'object' || value === null) return String(value)
	const { message, code, kind } = value as Record<string, unknown>
	if (typeof message === 'string' && message) return message
	const label = [kind, code].filter((part) => typeof part === 'string' && part).join(' ')
	return label || JSON.stringify(value).slice(0, 200)
}

/** An error and its causes on one line, for a log. */
export function describeError(error: unknown) {
	const parts: string[] = []
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		const message = current instanceof Error ? current.message : describeThrown(current)
		if (!parts.includes(message)) parts.push(message)
		current = wrapped(current)
	}
	return parts.join(' ← ').replace(/\s+/g, ' ')
}

// One log line per outage and then one every so often, not one per request of a burst.
const LOG_EVERY_MS = 10_000
let lastLogged = 0
let unlogged = 0

export function logDatabaseOutage(request: Request | undefined, error: unknown) {
	const now = Date.now()
	if (now - lastLogged < LOG_EVERY_MS) {
		unlogged++
		return
	}
	const also = unlogged > 0 ? ` (and ${unlogged} more answered 503 since the last line)` : ''
	console.error(`Database unavailable, answered 503 to ${request ? `${request.method} ${loggablePath(new URL(request.url).pathname)}` : 'a request'}${also}: ${describeError(error)}`)
	lastLogged = now
	unlogged = 0
}

/**
 * A loader or action that throws the 503 response when the database cannot serve. Thrown as a
 * Response, it reaches the error boundary with its status and message in production too, where
 * Remix replaces any other error with "Unexpected Server Error".
 */
export function withDatabaseOutageAnswer<Args extends unknown[], Result>(handler: (...args: Args) => Promise<Result>) {
	return async (...args: Args): Promise<Result> => {
		try {
			return await handler(...args)
		} catch (error) {
			if (!isDatabaseUnavailable(error)) throw error
			logDatabaseOutage((args[0] as { request?: Request } | undefined)?.request, error)
			throw databaseUnavailableResponse()
		}
	}
}

const wrappedBuilds = new WeakMap<ServerBuild, ServerBuild>()

/** The build with every route's loader and action answering 503 when the database cannot serve. */
export function answerDatabaseOutages(build: ServerBuild): ServerBuild {
	const known = wrappedBuilds.get(build)
	if (known) return known
	const routes: ServerBuild['routes'] = {}
	for (const [id, route] of Object.entries(build.routes)) {
		if (!route) continue
		const { loader, action } = route.module
		routes[id] = {
			...route,
			module: {
				...route.module,
				...(loader ? { loader: withDatabaseOutageAnswer(async (...args: Parameters<typeof loader>) => loader(...args)) } : {}),
				...(action ? { action: withDatabaseOutageAnswer(async (...args: Parameters<typeof action>) => action(...args)) } : {}),
			},
		}
	}
	const wrapped = { ...build, routes }
	wrappedBuilds.set(build, wrapped)
	return wrapped
}

/**
 * Why the database refused at start-up and what to do, for the log line that ends the process.
 */
export function explainStartupFailure(error: unknown, { embedded, connectTimeoutMs }: { embedded: boolean; connectTimeoutMs: number }) {
	const cause = describeError(error)
	if (embedded) return `The embedded database could not be opened: ${cause}`
	if (isDatabaseUnavailable(error)) {
		return `The PostgreSQL server in DATABASE_URL did not answer (${cause}). Check that it is running and reachable from this machine (host, port, firewall) and that DATABASE_URL is right; DATABASE_CONNECT_TIMEOUT_MS (now ${connectTimeoutMs} ms) sets how long to wait for it.`
	}
	return `The PostgreSQL server in DATABASE_URL refused: ${cause}`
}
