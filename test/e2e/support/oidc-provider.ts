import type { Server } from 'node:http'
import { exportJWK, generateKeyPair, SignJWT, decodeJwt, type JWK } from 'jose'
import Provider from 'oidc-provider'
import { TEST_PROVIDER_PORT } from './oidc-provider-port.ts'

/**
 * A real OpenID Provider (oidc-provider) for the SSO tests: one confidential client, and its own
 * development log-in pages where any login signs in. The login is the subject; the address is the
 * login too, unless `people` (which tests running the provider in-process can change) gives another.
 * Addresses that start with these words get a misbehaving answer, to prove the app refuses it:
 * `unverified-` (email_verified false), `forged-` (ID token signed with a key the provider never
 * published), `wrong-audience-` and `wrong-issuer-` (correctly signed, wrong claim).
 */
export const TEST_PROVIDER_CLIENT = { clientId: 'bulwark-tests', clientSecret: 'test-provider-client-secret-not-for-production' }

async function signingKey() {
	const { privateKey } = await generateKeyPair('RS256', { extractable: true })
	return { ...(await exportJWK(privateKey)), kid: `test-${Date.now()}`, alg: 'RS256', use: 'sig' } as JWK
}

/** Re-signs an ID token the way a forger or a confused provider would. */
async function misbehave(idToken: string, issuer: string, key: JWK, foreignKey: JWK) {
	const claims = decodeJwt(idToken)
	const email = String(claims.email ?? '')
	const sign = (payload: Record<string, unknown>, jwk: JWK) =>
		new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(jwk as Parameters<SignJWT['sign']>[0])
	if (email.startsWith('forged-')) return sign(claims, foreignKey)
	if (email.startsWith('wrong-audience-')) return sign({ ...claims, aud: 'another-client' }, key)
	if (email.startsWith('wrong-issuer-')) return sign({ ...claims, iss: `${issuer}/impostor` }, key)
	return idToken
}

export async function startTestProvider({ port, redirectUris }: { port: number; redirectUris: string[] }) {
	const issuer = `http://localhost:${port}`
	const [key, foreignKey] = await Promise.all([signingKey(), signingKey()])
	const people = new Map<string, string>()
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: TEST_PROVIDER_CLIENT.clientId,
				client_secret: TEST_PROVIDER_CLIENT.clientSecret,
				redirect_uris: redirectUris,
				grant_types: ['authorization_code'],
				response_types: ['code'],
				token_endpoint_auth_method: 'client_secret_post',
			},
		],
		jwks: { keys: [key] },
		cookies: { keys: ['oidc-test-provider-cookie-key'] },
		claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
		// Entra ID, Okta and Google put the person's claims in the ID token the app reads.
		conformIdTokenClaims: false,
		// Lifetimes in seconds, set so the provider does not warn about its defaults.
		ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
		findAccount: (_ctx, id) => {
			const email = (people.get(id) ?? id).toLowerCase()
			return {
				accountId: id,
				claims: () => ({ sub: id, email, email_verified: !email.startsWith('unverified-'), name: `Test ${email.split('@')[0]}` }),
			}
		},
	})
	const signingJwk = { ...key }
	provider.use(async (ctx, next) => {
		await next()
		const body = ctx.body as { id_token?: string } | undefined
		if (ctx.path === '/token' && body?.id_token) body.id_token = await misbehave(body.id_token, issuer, signingJwk, foreignKey)
	})
	const server: Server = await new Promise((resolve) => {
		const listening = provider.listen(port, '127.0.0.1', () => resolve(listening))
	})
	return {
		issuer,
		/** Subject → email address, for a person whose address is not their login. */
		people,
		async stop() {
			server.closeAllConnections()
			await new Promise<void>((resolve) => server.close(() => resolve()))
		},
	}
}

// As a Playwright webServer: `npx tsx test/e2e/support/oidc-provider.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
	const appUrl = process.env.E2E_APP_URL ?? 'http://localhost:3100'
	const { issuer } = await startTestProvider({ port: TEST_PROVIDER_PORT, redirectUris: [`${appUrl}/sso/callback`] })
	console.log(`Test OpenID Provider at ${issuer}`)
}
