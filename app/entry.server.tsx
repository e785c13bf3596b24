import { PassThrough } from 'node:stream'
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext, type HandleErrorFunction } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { RETRY_AFTER_SECONDS } from './modules/db/availability.server.ts'
import { NonceProvider } from './utils/nonce-provider.tsx'
import { loggablePath } from './utils/loggable-path.ts'

const ABORT_DELAY_MS = 5_000

export const streamTimeout = ABORT_DELAY_MS

export default function handleRequest(
	request: Request,
	responseStatusCode: number,
	responseHeaders: Headers,
	remixContext: EntryContext,
	loadContext: AppLoadContext,
) {
	const nonce = loadContext.cspNonce ?? ''
	askToRetryLater(responseStatusCode, responseHeaders)
	// A form sent to a page that takes none: the page can only be opened (RFC 9110 asks for Allow).
	if (responseStatusCode === 405) responseHeaders.set('Allow', 'GET, HEAD')
	// Bots get the whole document at once; people get it streamed.
	const readyEvent = isbot(request.headers.get('user-agent')) ? 'onAllReady' : 'onShellReady'
	return new Promise<Response>((resolve, reject) => {
		let didError = false
		const { pipe, abort } = renderToPipeableStream(
			<NonceProvider value={nonce}>
				<RemixServer context={remixContext} url={request.url} nonce={nonce} />
			</NonceProvider>,
			{
				nonce,
				[readyEvent]() {
					const body = new PassThrough()
					responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
					resolve(
						new Response(createReadableStreamFromReadable(body), {
							headers: responseHeaders,
							status: didError ? 500 : responseStatusCode,
						}),
					)
					pipe(body)
				},
				onShellError: reject,
				onError(error: unknown) {
					didError = true
					console.error(error)
				},
			},
		)
		setTimeout(abort, ABORT_DELAY_MS + 1_000)
	})
}

/**
 * Remix's own refusals (no route matches, no action for a POST) carry its developer wording, which
 * names route ids, into the page's data: it is dropped before Remix serialises it, and the error
 * boundary shows our text for the status instead.
 */
function dropRemixWording(error: unknown) {
	if (isRouteErrorResponse(error) && 'internal' in error && error.internal === true) {
		Object.assign(error, { data: null, error: undefined })
	}
}

/**
 * A 503 (the database could not serve, docs/decisions/018) tells the client when to try again. A
 * thrown Response keeps its own headers only on resource routes, so pages and their `.data`
 * requests get Retry-After here.
 */
function askToRetryLater(status: number, headers: Headers) {
	if (status !== 503 || headers.has('Retry-After')) return
	headers.set('Retry-After', String(RETRY_AFTER_SECONDS))
	headers.set('Cache-Control', 'no-store')
}

export function handleDataRequest(response: Response) {
	askToRetryLater(response.status, response.headers)
	return response
}

/** Errors are logged on the server; the person sees the error boundary, never a stack trace. */
export const handleError: HandleErrorFunction = (error, { request }) => {
	dropRemixWording(error)
	// Client errors are expected; logging them would let anyone flood the log.
	if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return
	console.error(`Error while handling ${request.method} ${loggablePath(new URL(request.url).pathname)}:`, error)
}
