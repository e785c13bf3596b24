import { domainOfEmail } from './domains.ts'

/**
 * Which address an ID token vouches for (docs/decisions/026). `email` counts only when the
 * provider says it verified it: `email_verified: true` (OpenID Connect, Okta, Google), or Entra
 * ID's `xms_edov: true` ("email domain owner verified"), since Entra does not send
 * `email_verified`. `preferred_username` is never used: Entra documents it as mutable and not for
 * authorization, and elsewhere it need not be an address at all. Google's one issuer also signs
 * in personal accounts registered with a work address, so there the Workspace domain (`hd`) must
 * be the address's own.
 */
export type VerifiedEmail = { status: 'ok'; email: string; name: string | null } | { status: 'unverified' }

/** An ID token's claims, as openid-client returns them once it has validated the token. */
export type IdTokenClaims = Record<string, unknown>

const EMAIL = /^[^\s@]+@[^\s@]+$/
const GOOGLE_ISSUER = 'https://accounts.google.com'

export function verifiedEmailFrom(claims: IdTokenClaims): VerifiedEmail {
	const verified = claims.email_verified === true || claims.xms_edov === true
	if (!verified || typeof claims.email !== 'string') return { status: 'unverified' }
	const email = claims.email.trim().toLowerCase()
	if (email.length > 254 || !EMAIL.test(email)) return { status: 'unverified' }
	if (claims.iss === GOOGLE_ISSUER && claims.hd !== domainOfEmail(email)) return { status: 'unverified' }
	const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 100) : null
	return { status: 'ok', email, name }
}

/** A name for an account the first sign-in creates when the provider sent none: the address's local part. */
export function fallbackName(email: string) {
	return email.slice(0, email.indexOf('@')) || email
}
