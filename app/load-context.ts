declare module '@remix-run/node' {
	interface AppLoadContext {
		/** This response's Content-Security-Policy nonce, set by server/index.ts. */
		cspNonce: string
		/** The client's address (from X-Forwarded-For only when TRUST_PROXY is on). */
		clientIp: string
		/** A request the server refused by itself (server/errors.ts): the root loader throws it as the error page. */
		errorPage?: { status: number; message?: string }
	}
}

export {}
