import { data } from '@remix-run/node'
import { parse, serialize } from 'cookie'
import * as oidc from 'openid-client'
import type { Prisma } from '#app/generated/prisma/client.ts'
import type { Role } from '#app/generated/prisma/enums.ts'
import { hashUnknownPassword } from '#app/modules/auth/password.server.ts'
import { generateToken, hashToken } from '#app/modules/auth/session-token.server.ts'
import { recordAuditEvent } from '#app/modules/organisations/audit.server.ts'
import { describeWait, type RateLimitPolicy } from '#app/modules/rate-limit/rate-limit.ts'
import { takeAttempt } from '#app/modules/rate-limit/rate-limit.server.ts'
import { isUniqueConstraintError, prisma } from '#app/utils/db.server.ts'
import { decryptSecret, encryptSecret } from '#app/utils/encryption.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { fallbackName, verifiedEmailFrom } from './claims.ts'
import { findConnectionForEmail } from './connections.server.ts'
import { domainOfEmail } from './domains.ts'
import { SSO_MESSAGES } from './messages.ts'
import { isUnreachable, type ProviderConnection, providerConfiguration, ProviderUnavailableError } from './provider.server.ts'

/** The cookie that ties the provider's redirect back to the browser that started the sign-in. */
export const SSO_STATE_COOKIE = 'bulwark_sso_state'
const SIGN_IN_TTL_MS = 10 * 60 * 1000
const VERIFIER_PURPOSE = 'sso-pkce-verifier'
export const CALLBACK_PATH = '/sso/callback'
const SCOPE = 'openid email profile'

/** What the provider is asked to send people back to; the admin registers it there. */
export const redirectUriFor = (origin: string) => `${origin}${CALLBACK_PATH}`

function stateCookie(value: string, maxAgeSeconds: number) {
	return serialize(SSO_STATE_COOKIE, value, {
		httpOnly: true,
		// Lax: the provider's redirect back is a top-level GET navigation, which carries it.
		sameSite: 'lax',
		path: CALLBACK_PATH,
		secure: getEnv().NODE_ENV === 'production',
		maxAge: maxAgeSeconds,
	})
}

/** A refusal rendered by the error boundary, with the cookie of the spent sign-in cleared. */
function refusal(message: string, status = 400) {
	return data({ message }, { status, headers: { 'Set-Cookie': stateCookie('', 0) } })
}

export type StartResult = { status: 'redirect'; url: string; setCookie: string } | { status: 'no-connection' }

/**
 * Starts a sign-in through the provider of the organisation that owns the address's domain:
 * a single-use row (state hashed, nonce, PKCE verifier encrypted) and the provider's URL.
 */
export async function startSsoSignIn({ email, redirectTo, origin }: { email: string; redirectTo?: string; origin: string }): Promise<StartResult> {
	const connection = await findConnectionForEmail(email)
	if (!connection) return { status: 'no-connection' }
	const configuration = await providerConfigurationOrRefusal(connection)
	const state = generateToken()
	const nonce = oidc.randomNonce()
	const codeVerifier = oidc.randomPKCECodeVerifier()
	const now = new Date()
	await prisma.$transaction([
		prisma.ssoSignIn.deleteMany({ where: { expiresAt: { lte: now } } }),
		prisma.ssoSignIn.create({
			data: {
				id: hashToken(state),
				organisationId: connection.organisationId,
				nonce,
				codeVerifierEncrypted: encryptSecret(codeVerifier, VERIFIER_PURPOSE),
				redirectTo: redirectTo ?? null,
				expiresAt: new Date(now.getTime() + SIGN_IN_TTL_MS),
			},
			select: { id: true },
		}),
	])
	const url = oidc.buildAuthorizationUrl(configuration, {
		redirect_uri: redirectUriFor(origin),
		scope: SCOPE,
		state,
		nonce,
		code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
		code_challenge_method: 'S256',
		login_hint: email,
	})
	return { status: 'redirect', url: url.href, setCookie: stateCookie(state, SIGN_IN_TTL_MS / 1000) }
}

async function providerConfigurationOrRefusal(connection: ProviderConnection) {
	try {
		return await providerConfiguration(connection)
	} catch (error) {
		if (error instanceof ProviderUnavailableError || isUnreachable(error) || error instanceof oidc.ClientError) {
			throw refusal(SSO_MESSAGES.providerUnreachable, 502)
		}
		throw error
	}
}

/** Takes the pending sign-in this browser's cookie names, once: a second use finds nothing. */
async function consumeSignIn(state: string) {
	const id = hashToken(state)
	const signIn = await prisma.ssoSignIn.findUnique({
		where: { id },
		select: {
			organisationId: true,
			nonce: true,
			codeVerifierEncrypted: true,
			redirectTo: true,
			expiresAt: true,
			organisation: {
				select: {
					slug: true,
					ssoConnection: {
						select: { id: true, issuer: true, clientId: true, clientSecretEncrypted: true, updatedAt: true, enabled: true, defaultRole: true },
					},
				},
			},
		},
	})
	const { count } = await prisma.ssoSignIn.deleteMany({ where: { id } })
	if (!signIn || count !== 1 || signIn.expiresAt <= new Date()) return null
	return signIn
}

/** The answer the provider's redirect carries, checked by openid-client: state, PKCE, the ID token's signature, issuer, audience, expiry and nonce. */
async function exchangeCode(
	connection: ProviderConnection,
	{ callbackUrl, state, nonce, codeVerifier }: { callbackUrl: URL; state: string; nonce: string; codeVerifier: string },
) {
	const configuration = await providerConfigurationOrRefusal(connection)
	try {
		const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, { expectedState: state, expectedNonce: nonce, pkceCodeVerifier: codeVerifier })
		const claims = tokens.claims()
		if (!claims) throw refusal(SSO_MESSAGES.answerNotVerified)
		return claims
	} catch (error) {
		if (error instanceof oidc.AuthorizationResponseError) throw refusal(SSO_MESSAGES.providerRefused, 403)
		if (isUnreachable(error)) throw refusal(SSO_MESSAGES.providerUnreachable, 502)
		if (error instanceof oidc.ClientError || error instanceof oidc.ResponseBodyError || error instanceof oidc.WWWAuthenticateChallengeError) {
			throw refusal(SSO_MESSAGES.answerNotVerified)
		}
		throw error
	}
}

interface Identity {
	organisationId: string
	issuer: string
	subject: string
	email: string
	name: string
	defaultRole: Role
}

/**
 * Links an identity seen for the first time: to the account with the address when this
 * organisation took that account in with the person's consent, else to a new account (just in time).
 */
async function linkIdentity(tx: Prisma.TransactionClient, { organisationId, issuer, subject, email, name }: Identity) {
	const existing = await tx.user.findUnique({
		where: { email },
		select: { id: true, memberships: { select: { organisationId: true, provisionedAccount: true } } },
	})
	if (existing && !(await mayLink(tx, organisationId, email, existing.memberships))) throw refusal(SSO_MESSAGES.accountNotMember, 409)
	// The provider verified the address, so an account made now starts with it confirmed.
	const userId =
		existing?.id ?? (await tx.user.create({ data: { email, name, passwordHash: await hashUnknownPassword(), emailVerifiedAt: new Date() }, select: { id: true } })).id
	await tx.ssoIdentity.create({ data: { organisationId, issuer, subject, userId }, select: { id: true } })
	return { userId, newAccount: !existing }
}

/**
 * A provider that vouches for an address does not make a stranger's account its own, nor does a
 * membership SCIM gave an existing account without asking its owner (decision 026). An existing
 * account is linked only when its owner accepted this organisation's invitation, or when this
 * organisation's provisioning made the account and no other organisation shares it.
 */
async function mayLink(tx: Prisma.TransactionClient, organisationId: string, email: string, memberships: { organisationId: string; provisionedAccount: boolean }[]) {
	const here = memberships.find((membership) => membership.organisationId === organisationId)
	if (!here) return false
	if (here.provisionedAccount && memberships.length === 1) return true
	return (await tx.invitation.count({ where: { organisationId, email, acceptedAt: { not: null } } })) > 0
}

/**
 * The account this identity signs in, in one transaction: the linked one, or one linked now. A
 * missing membership is created with the default role; a deactivated one refuses.
 */
async function signInIdentity(identity: Identity): Promise<string> {
	return prisma.$transaction(async (tx) => {
		const { organisationId, issuer, subject, email } = identity
		const linked = await tx.ssoIdentity.findUnique({
			where: { organisationId_issuer_subject: { organisationId, issuer, subject } },
			select: { id: true, userId: true },
		})
		if (linked) await tx.ssoIdentity.update({ where: { id: linked.id }, data: { lastSignInAt: new Date() }, select: { id: true } })
		const { userId, newAccount } = linked ? { userId: linked.userId, newAccount: false } : await linkIdentity(tx, identity)
		const membership = await tx.membership.findUnique({
			where: { organisationId_userId: { organisationId, userId } },
			select: { deactivatedAt: true },
		})
		if (membership?.deactivatedAt) throw refusal(SSO_MESSAGES.membershipDeactivated, 403)
		if (!membership) {
			await tx.membership.create({ data: { organisationId, userId, role: identity.defaultRole }, select: { id: true } })
			await recordAuditEvent(tx, {
				organisationId,
				actorId: userId,
				action: 'sso.member_joined',
				targetUserId: userId,
				targetLabel: email,
				details: { role: identity.defaultRole, newAccount },
			})
		}
		return userId
	})
}

export interface CallbackResult {
	userId: string
	redirectTo: string
	clearCookie: string
}

/**
 * Finishes a sign-in from the provider's redirect. Every refusal is thrown as a 4xx (502 when the
 * provider is unreachable) before anything is written.
 */
export async function finishSsoSignIn({ request, origin }: { request: Request; origin: string }): Promise<CallbackResult> {
	const state = parse(request.headers.get('Cookie') ?? '')[SSO_STATE_COOKIE]
	const requestUrl = new URL(request.url)
	if (!state || requestUrl.searchParams.get('state') !== state) throw refusal(SSO_MESSAGES.signInExpired)
	const signIn = await consumeSignIn(state)
	if (!signIn) throw refusal(SSO_MESSAGES.signInExpired)
	const connection = signIn.organisation.ssoConnection
	const codeVerifier = decryptSecret(signIn.codeVerifierEncrypted, VERIFIER_PURPOSE)
	if (!connection?.enabled || codeVerifier === null) throw refusal(SSO_MESSAGES.connectionGone)

	// The redirect URI the provider was given, with the answer's parameters: openid-client sends
	// it to the token endpoint, so it must not depend on a proxy's view of the request URL.
	const callbackUrl = new URL(redirectUriFor(origin))
	callbackUrl.search = requestUrl.search
	const claims = await exchangeCode(connection, { callbackUrl, state, nonce: signIn.nonce, codeVerifier })

	const verified = verifiedEmailFrom(claims)
	if (verified.status !== 'ok') throw refusal(SSO_MESSAGES.emailNotVerified, 403)
	const owned = await prisma.ssoDomain.count({ where: { domain: domainOfEmail(verified.email), organisationId: signIn.organisationId } })
	if (owned === 0) throw refusal(SSO_MESSAGES.domainNotOwned, 403)

	const identity: Identity = {
		organisationId: signIn.organisationId,
		issuer: claims.iss,
		subject: claims.sub,
		email: verified.email,
		name: verified.name ?? fallbackName(verified.email),
		defaultRole: connection.defaultRole,
	}
	let userId: string
	try {
		userId = await signInIdentity(identity)
	} catch (error) {
		// The same person's sign-in in another tab created the account or the link a moment ago.
		if (!isUniqueConstraintError(error)) throw error
		userId = await signInIdentity(identity)
	}
	return { userId, redirectTo: signIn.redirectTo ?? `/org/${signIn.organisation.slug}`, clearCookie: stateCookie('', 0) }
}

/** Starting sign-ins costs a row and may cost a request to a provider: 30 per 15 minutes per IP address. */
const SSO_START_POLICY: RateLimitPolicy = { limit: 30, windowMs: 15 * 60 * 1000 }

/** A refusal when this address started too many sign-ins, else null. */
export async function takeSsoStartAttempt(ip: string) {
	const wait = await takeAttempt([`sso-start:ip:${ip}`], SSO_START_POLICY)
	return wait > 0 ? { retryAfterSeconds: wait, message: `Too many sign-in attempts from your network. Wait ${describeWait(wait)} and try again.` } : null
}
