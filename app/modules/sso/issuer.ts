/**
 * Which issuer URLs the app will fetch discovery from. Production talks to providers over HTTPS
 * only, by host name. Plain HTTP is for a provider on this machine during development and tests:
 * loopback hosts only, and in production only when SSO_ALLOW_HTTP_LOCALHOST says so (the
 * Playwright run serves the built app in production mode next to its test provider).
 */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
const IP_LITERAL = /^\d{1,3}(\.\d{1,3}){3}$|^\[/
// Entra ID's multi-tenant endpoints: anyone's tenant signs in there, never only the organisation's.
const MULTI_TENANT_PATH = /^\/(common|organizations|consumers)(\/|$)/i

export type IssuerProblem = 'not-a-url' | 'https-required' | 'host-name-required' | 'multi-tenant' | 'has-query'

export const ISSUER_PROBLEM_MESSAGES: Record<IssuerProblem, string> = {
	'not-a-url': 'Enter the issuer as a URL, like https://login.example.com',
	'https-required': 'The issuer must be an https:// URL',
	'host-name-required': 'Use the provider’s host name, not an IP address',
	'multi-tenant': 'Use your own tenant’s issuer (with its tenant id), not the multi-tenant /common, /organizations or /consumers one',
	'has-query': 'The issuer has no query or fragment: remove what follows ? or #',
}

export function isLoopbackIssuer(url: URL) {
	return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
}

export function issuerProblem(value: string, { allowHttpLoopback }: { allowHttpLoopback: boolean }): IssuerProblem | null {
	let url: URL
	try {
		url = new URL(value)
	} catch {
		return 'not-a-url'
	}
	if (url.search || url.hash || url.username || url.password) return 'has-query'
	if (allowHttpLoopback && isLoopbackIssuer(url)) return null
	if (url.protocol !== 'https:') return 'https-required'
	if (LOOPBACK_HOSTS.has(url.hostname) || IP_LITERAL.test(url.hostname)) return 'host-name-required'
	if (url.hostname === 'login.microsoftonline.com' && MULTI_TENANT_PATH.test(url.pathname)) return 'multi-tenant'
	return null
}
