declare module '@remix-run/node' {
	interface AppLoadContext {
		/** This response's Content-Security-Policy nonce, set by server/index.ts. */
		cspNonce: string
		/** The client's address (from X-Forwarded-For only when TRUST_PROXY is on). */
		clientIp: string
	}
}

export {}
