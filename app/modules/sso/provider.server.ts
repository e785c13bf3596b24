import * as oidc from 'openid-client'
import { decryptSecret } from '#app/utils/encryption.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { remember } from '#app/utils/remember.server.ts'
import { isLoopbackIssuer, issuerProblem } from './issuer.ts'
import { assertPublicHost, NonPublicHostError } from './public-address.server.ts'

export const CLIENT_SECRET_PURPOSE = 'sso-client-secret'
/** Seconds the app waits for a provider before answering that it could not be reached. */
const PROVIDER_TIMEOUT_SECONDS = 10
/** Providers rotate their signing keys with notice; an hour-old discovery document is still good. */
const DISCOVERY_TTL_MS = 60 * 60 * 1000

export interface ProviderConnection {
	id: string
	issuer: string
	clientId: string
	clientSecretEncrypted: string
	updatedAt: Date
}

/** Plain HTTP to a loopback provider, for development and the tests (see issuer.ts). */
export function allowsHttpLoopback() {
	const env = getEnv()
	return env.NODE_ENV !== 'production' || env.SSO_ALLOW_HTTP_LOCALHOST
}

/** Why the app will not talk to this issuer, or null. */
export const issuerProblemOf = (issuer: string) => issuerProblem(issuer, { allowHttpLoopback: allowsHttpLoopback() })

/** `fetch` for the provider's endpoints: only to hosts with public addresses. */
const fetchFromPublicHost: oidc.CustomFetch = async (url, options) => {
	await assertPublicHost(new URL(url))
	return fetch(url, options as RequestInit)
}

function discover(issuer: string, clientId: string, clientSecret: string) {
	const url = new URL(issuer)
	const insecure = allowsHttpLoopback() && isLoopbackIssuer(url)
	return oidc.discovery(url, clientId, undefined, oidc.ClientSecretPost(clientSecret), {
		timeout: PROVIDER_TIMEOUT_SECONDS,
		// Discovery and every endpoint it names reach only public addresses (the test provider on
		// this machine excepted, where plain HTTP to loopback is allowed).
		...(insecure ? {} : { [oidc.customFetch]: fetchFromPublicHost }),
		// The ID token's signature is checked against the provider's published keys even though it
		// comes straight from the token endpoint, where OpenID Connect would let TLS vouch for it.
		execute: [oidc.enableNonRepudiationChecks, ...(insecure ? [oidc.allowInsecureRequests] : [])],
	})
}

type CachedConfiguration = { key: string; expiresAt: number; configuration: Promise<oidc.Configuration> }

const configurations = () => remember('sso-provider-configurations', () => new Map<string, CachedConfiguration>())

/**
 * The provider's configuration (endpoints, signing keys) for a connection, discovered once an hour
 * per app instance; a saved change to the connection discovers afresh.
 */
export function providerConfiguration(connection: ProviderConnection) {
	if (issuerProblemOf(connection.issuer)) throw new ProviderUnavailableError()
	const key = `${connection.updatedAt.getTime()}`
	const cached = configurations().get(connection.id)
	if (cached && cached.key === key && cached.expiresAt > Date.now()) return cached.configuration
	const secret = decryptSecret(connection.clientSecretEncrypted, CLIENT_SECRET_PURPOSE)
	if (secret === null) throw new ProviderUnavailableError()
	const configuration = discover(connection.issuer, connection.clientId, secret)
	configurations().set(connection.id, { key, expiresAt: Date.now() + DISCOVERY_TTL_MS, configuration })
	// A failed discovery is not kept: the next sign-in tries again.
	configuration.catch(() => configurations().delete(connection.id))
	return configuration
}

/** "Test connection": discovery at the connection's issuer, afresh, succeeds and its issuer matches. */
export async function canDiscover(connection: ProviderConnection) {
	const secret = decryptSecret(connection.clientSecretEncrypted, CLIENT_SECRET_PURPOSE)
	if (secret === null || issuerProblemOf(connection.issuer)) return false
	try {
		await discover(connection.issuer, connection.clientId, secret)
		return true
	} catch {
		return false
	}
}

/** The provider could not be reached or its configuration is unusable: nothing the person can fix. */
export class ProviderUnavailableError extends Error {}

/** A network failure or timeout, as opposed to an answer the provider gave. */
export function isUnreachable(error: unknown): boolean {
	if (error instanceof TypeError || error instanceof NonPublicHostError) return true
	if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return true
	// The host name did not resolve (checked before each fetch, see fetchFromPublicHost).
	if (error instanceof Error && 'code' in error && (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')) return true
	return error instanceof Error && error.cause !== undefined && isUnreachable(error.cause)
}
