import type { NextFunction, Request, Response } from 'express'
import helmet from 'helmet'
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
 * page of this site, as its Origin header shows. A missing or foreign Origin is refused.
 */
export function rejectForeignOrigins({ trustProxy }: { trustProxy: boolean }) {
	return (req: Request, _res: Response, next: NextFunction) => {
		if (SAFE_METHODS.has(req.method)) return next()
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

/** Refuses oversized bodies before anything reads them. */
export function limitBodySize(maxBytes: number) {
	return (req: Request, _res: Response, next: NextFunction) => {
		const length = req.get('Content-Length')
		if (length !== undefined && !/^\d+$/.test(length)) {
			return next(new ClientError(400, 'The request has an invalid Content-Length header.'))
		}
		if (length !== undefined && Number(length) > maxBytes) {
			return next(new ClientError(413, `The request is too large: at most ${Math.floor(maxBytes / 1024)} KiB are accepted.`))
		}
		if (length === undefined && req.get('Transfer-Encoding')) {
			return next(new ClientError(411, 'Requests with a body must say how long it is (Content-Length).'))
		}
		next()
	}
}
