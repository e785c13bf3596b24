import { describe, expect, test } from 'vitest'
import { fallbackName, verifiedEmailFrom } from './claims.ts'
import { domainOfEmail, isDomainName, isPublicMailDomain, splitDomainList } from './domains.ts'
import { issuerProblem } from './issuer.ts'

describe('email domains', () => {
	test('a typed list becomes lower-case domains, each once, whatever separates them', () => {
		expect(splitDomainList(' Example.com\n@corp.example.org; example.com,  sub.example.com ')).toEqual(['example.com', 'corp.example.org', 'sub.example.com'])
		expect(splitDomainList(' \n ')).toEqual([])
	})

	test('only DNS names count as domains', () => {
		expect(isDomainName('example.com')).toBe(true)
		expect(isDomainName('corp-1.example.co.uk')).toBe(true)
		for (const value of ['localhost', 'example', '-bad.com', 'exa mple.com', 'example.com.', '127.0.0.1', 'a@b.com', 'x.'.repeat(130) + 'com']) {
			expect(isDomainName(value), value).toBe(false)
		}
	})

	test('public mail providers cannot be claimed', () => {
		expect(isPublicMailDomain('gmail.com')).toBe(true)
		expect(isPublicMailDomain('example.com')).toBe(false)
	})

	test('an address’s domain is what follows its last @, lower-cased; a subdomain is its own domain', () => {
		expect(domainOfEmail('Ada@Example.COM')).toBe('example.com')
		expect(domainOfEmail('ada@eu.example.com')).toBe('eu.example.com')
		expect(domainOfEmail('no-at-sign')).toBe('')
	})
})

describe('the address an ID token vouches for', () => {
	test('is `email` when email_verified is true (OpenID Connect, Okta, Google) or Entra’s xms_edov is true', () => {
		expect(verifiedEmailFrom({ email: 'Ada@Example.com', email_verified: true, name: ' Ada Lovelace ' })).toEqual({ status: 'ok', email: 'ada@example.com', name: 'Ada Lovelace' })
		expect(verifiedEmailFrom({ email: 'ada@example.com', xms_edov: true })).toEqual({ status: 'ok', email: 'ada@example.com', name: null })
	})

	test('is none when the provider did not say it verified it, or sent something else than an address', () => {
		expect(verifiedEmailFrom({ email: 'ada@example.com' }).status).toBe('unverified')
		expect(verifiedEmailFrom({ email: 'ada@example.com', email_verified: 'true' }).status).toBe('unverified')
		expect(verifiedEmailFrom({ email: 'ada@example.com', email_verified: false, xms_edov: false }).status).toBe('unverified')
		expect(verifiedEmailFrom({ email: 'not an address', email_verified: true }).status).toBe('unverified')
		// Entra's preferred_username is never taken for the address.
		expect(verifiedEmailFrom({ preferred_username: 'ada@example.com', email_verified: true }).status).toBe('unverified')
	})

	test('from Google, only when the Workspace domain (hd) is the address’s own', () => {
		const google = { iss: 'https://accounts.google.com', email: 'ada@example.com', email_verified: true }
		expect(verifiedEmailFrom({ ...google, hd: 'example.com' }).status).toBe('ok')
		expect(verifiedEmailFrom(google).status).toBe('unverified')
		expect(verifiedEmailFrom({ ...google, hd: 'other.example' }).status).toBe('unverified')
	})

	test('a new account without a name from the provider is named by the address’s local part', () => {
		expect(fallbackName('ada.lovelace@example.com')).toBe('ada.lovelace')
	})
})

describe('issuer URLs', () => {
	const production = { allowHttpLoopback: false }
	const tests = { allowHttpLoopback: true }

	test('providers are reached over HTTPS by host name', () => {
		expect(issuerProblem('https://login.microsoftonline.com/8e1f0c2a-0000-4000-8000-000000000000/v2.0', production)).toBeNull()
		expect(issuerProblem('https://example.okta.com', production)).toBeNull()
		expect(issuerProblem('http://example.okta.com', production)).toBe('https-required')
		expect(issuerProblem('https://10.0.0.5', production)).toBe('host-name-required')
		expect(issuerProblem('https://localhost:8443', production)).toBe('host-name-required')
		expect(issuerProblem('not a url', production)).toBe('not-a-url')
		expect(issuerProblem('https://idp.example.com/?tenant=x', production)).toBe('has-query')
	})

	test('plain HTTP only to this machine, and only when allowed', () => {
		expect(issuerProblem('http://localhost:3110', production)).toBe('https-required')
		expect(issuerProblem('http://localhost:3110', tests)).toBeNull()
		expect(issuerProblem('http://127.0.0.1:3110', tests)).toBeNull()
		expect(issuerProblem('http://idp.example.com', tests)).toBe('https-required')
	})

	test('Entra’s multi-tenant endpoints are refused: any tenant signs in there', () => {
		for (const tenant of ['common', 'organizations', 'consumers']) {
			expect(issuerProblem(`https://login.microsoftonline.com/${tenant}/v2.0`, production)).toBe('multi-tenant')
		}
	})
})
