// The part of oidc-provider 9 the test provider uses. oidc-provider ships no types and
// @types/oidc-provider is not a dependency; this declares only what test/e2e/support/oidc-provider.ts calls.
declare module 'oidc-provider' {
	import type { Server } from 'node:http'

	interface Account {
		accountId: string
		claims: () => Record<string, unknown>
	}

	interface Context {
		path: string
		body: unknown
	}

	export interface Configuration {
		clients: Record<string, unknown>[]
		jwks: { keys: object[] }
		cookies: { keys: string[] }
		claims: Record<string, string[]>
		conformIdTokenClaims: boolean
		ttl: Record<string, number>
		findAccount: (ctx: Context, id: string) => Account | Promise<Account>
	}

	export default class Provider {
		constructor(issuer: string, configuration: Configuration)
		use(middleware: (ctx: Context, next: () => Promise<void>) => Promise<void>): void
		listen(port: number, host: string, callback: () => void): Server
	}
}
