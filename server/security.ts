import type { NextFunction, Request, Response } from 'express'
import helmet from 'helmet'
import { isScimPath } from '#app/modules/scim/errors.ts'
import { ClientError } from './errors.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Strict headers on every response. Scripts run only with this response's nonce (Remix's inline
 * scripts carry it) or when loaded by such a script; nothing may frame the app.
 */
export function securityHeaders({ production }: { production: boolean }) {
	const nonce = (_req: unknown, res: unknown) => `'nonce-${(res as Response).locals.cspNonce}'`
	return helmet({
		contentSecurityPolicy: {
			useDefaults: false,
			directives: {
				'default-src': ["'self'"],
				'base-uri': ["'self'"],
				'connect-src': production ? ["'self'"] : ["'self'", 'ws:'],
				'font-src': ["'self'"],
				'form-action': ["'self'"],
				'frame-ancestors': ["'none'"],
				'img-src': ["'self'", 'data:'],
				'object-src': ["'none'"],
				'script-src': ["'strict-dynamic'", "'self'", nonce],
				'script-src-attr': ["'none'"],
				// Vite injects styles from JavaScript in development only.
				'style-src': production ? ["'self'"] : ["'self'", "'unsafe-inline'"],
			},
		},
		strictTransportSecurity: production ? { maxAge: 63_072_000, includeSubDomains: true } : false,
		referrerPolicy: { policy: 'same-origin' },
		crossOriginEmbedderPolicy: false,
		xFrameOptions: { action: 'deny' },
	})
}

export function permissionsPolicy(_req: Request, res: Response, next: NextFunction) {
	res.setHeader(
		'Permissions-Policy',
		'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
	)
	next()
}

// Refusals go to the app's error handler (server/errors.ts), which shows them as the error page.

/**
 * CSRF defence in depth next to SameSite=Lax cookies: a state-changing request must come from a
 * page of this site, as its Origin header shows. A missing or foreign Origin is refused. The SCIM
 * endpoints are the exception: identity providers call them server to server, without an Origin,
 * and they act only on a bearer token, never on cookies, so a forged request gains nothing there.
 */
export function rejectForeignOrigins({ trustProxy }: { trustProxy: boolean }) {
	return (req: Request, _res: Response, next: NextFunction) => {
		if (SAFE_METHODS.has(req.method) || isScimPath(req.path)) return next()
		const host = (trustProxy && req.get('X-Forwarded-Host')) || req.get('Host')
		let originHost: string | null = null
		try {
			originHost = new URL(req.get('Origin') ?? '').host
		} catch {
			originHost = null
		}
		if (!host || originHost !== host) {
			return next(new ClientError(403, 'This request did not come from a Bulwark page, so it was refused. Reload the page and try again.'))
		}
		next()
	}
}

/** A path allowed a larger body than the rest, with the refusal its users read. */
export type BodySizeException = { path: RegExp; maxBytes: number; tooLarge: string }

/** Refuses oversized bodies before anything reads them. */
export function limitBodySize(maxBytes: number, exceptions: readonly BodySizeException[] = []) {
	return (req: Request, _res: Response, next: NextFunction) => {
		const exception = exceptions.find(({ path }) => path.test(req.path))
		const limit = exception?.maxBytes ?? maxBytes
		const length = req.get('Content-Length')
		if (length !== undefined && !/^\d+$/.test(length)) {
			return next(new ClientError(400, 'The request has an invalid Content-Length header.'))
		}
		if (length !== undefined && Number(length) > limit) {
			return next(new ClientError(413, exception?.tooLarge ?? `The request is too large: at most ${Math.floor(maxBytes / 1024)} KiB are accepted.`))
		}
		if (length === undefined && req.get('Transfer-Encoding')) {
			return next(new ClientError(411, 'Requests with a body must say how long it is (Content-Length).'))
		}
		next()
	}
}

/**
 * TRUST_PROXY decides which address the per-IP log-in limit counts, so a mismatch is reported
 * (once per process, so it cannot flood the log), not refused: requests keep being served.
 * - Off, but requests carry X-Forwarded-For: likely behind a proxy, so every client shares the
 *   proxy's address and one office's typos limit everyone.
 * - On, but a request comes without it: the app is reachable past the proxy, where a client can
 *   send its own X-Forwarded-For and choose the address it is counted under. Health checks from
 *   a load balancer go straight to the app, so /healthz does not count.
 */
export function checkProxySetting({ trustProxy }: { trustProxy: boolean }) {
	let warned = false
	return (req: Request, _res: Response, next: NextFunction) => {
		if (!warned) {
			const forwarded = req.get('X-Forwarded-For') !== undefined
			if (!trustProxy && forwarded) {
				warned = true
				console.warn('Requests arrive with X-Forwarded-For but TRUST_PROXY is off: all clients behind that proxy share one address for the log-in limit. Behind a reverse proxy, set TRUST_PROXY=true.')
			} else if (trustProxy && !forwarded && req.path !== '/healthz') {
				warned = true
				console.warn(`A request reached the app without X-Forwarded-For although TRUST_PROXY is on (${req.method} ${req.path}): make the app reachable only through the proxy, or clients can choose the address the log-in limit counts.`)
			}
		}
		next()
	}
}

/** Settings that work but deserve a word at start-up. */
export function configurationWarnings(env: { NODE_ENV: string; COOKIE_SECRET?: string; SSO_ALLOW_HTTP_LOCALHOST?: boolean }) {
	const warnings: string[] = []
	if (env.NODE_ENV === 'production' && !env.COOKIE_SECRET) {
		warnings.push('COOKIE_SECRET is not set: flash messages are signed with a key made at start-up, so one pending during a restart, or read by another instance, is dropped. Set COOKIE_SECRET (32+ characters, the same on every instance).')
	}
	if (env.NODE_ENV === 'production' && env.SSO_ALLOW_HTTP_LOCALHOST) {
		warnings.push('SSO_ALLOW_HTTP_LOCALHOST is on: single sign-on may use an OpenID Provider on this machine over plain HTTP. It is meant for the tests; turn it off in production.')
	}
	return warnings
}
