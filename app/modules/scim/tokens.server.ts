import { generateToken, hashToken } from '#app/modules/auth/session-token.server.ts'
import { recordAuditEvent } from '#app/modules/organisations/audit.server.ts'
import { recordAttempt } from '#app/modules/rate-limit/rate-limit.server.ts'
import { retryAfterSeconds, SCIM_TOKEN_FAILURE_POLICY } from '#app/modules/rate-limit/rate-limit.ts'
import { prisma } from '#app/utils/db.server.ts'
import { ScimError } from './errors.ts'
import { SCIM_MESSAGES } from './messages.ts'

const DAY_MS = 24 * 60 * 60 * 1000

/** lastUsedAt is written at most this often, so a sync of thousands of users does not write it thousands of times. */
const LAST_USED_RESOLUTION_MS = 60 * 1000

/** The organisation a SCIM request acts for and the token it came with, named in the audit log. */
export interface ScimActor {
	organisationId: string
	tokenId: string
	tokenName: string
}

/** What the audit log records of a SCIM change: no person acted, the named token did. */
export const auditedAs = (actor: ScimActor) => ({ organisationId: actor.organisationId, actorId: null, details: { scimToken: actor.tokenName } })

/** Creates a token; the token itself is returned once, to show, and only its hash is kept. */
export async function createScimToken({ organisationId, actorId, name, lifetimeDays }: { organisationId: string; actorId: string; name: string; lifetimeDays: number }) {
	const token = generateToken()
	await prisma.$transaction(async (tx) => {
		await tx.scimToken.create({
			data: { organisationId, name, tokenHash: hashToken(token), createdById: actorId, expiresAt: new Date(Date.now() + lifetimeDays * DAY_MS) },
			select: { id: true },
		})
		await recordAuditEvent(tx, { organisationId, actorId, action: 'scim.token_created', targetLabel: name })
	})
	return { token }
}

/** A token change the admin's form cannot make; its message is shown on the page. */
export class ScimTokenError extends Error {}

export async function revokeScimToken({ organisationId, actorId, tokenId }: { organisationId: string; actorId: string; tokenId: string }) {
	await prisma.$transaction(async (tx) => {
		const token = await tx.scimToken.findFirst({ where: { id: tokenId, organisationId, revokedAt: null }, select: { id: true, name: true } })
		if (!token) throw new ScimTokenError('That token is revoked already.')
		await tx.scimToken.update({ where: { id: token.id }, data: { revokedAt: new Date() }, select: { id: true } })
		await recordAuditEvent(tx, { organisationId, actorId, action: 'scim.token_revoked', targetLabel: token.name })
	})
}

export function listScimTokens(organisationId: string) {
	return prisma.scimToken.findMany({
		where: { organisationId },
		orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
		select: { id: true, name: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true, createdBy: { select: { name: true } } },
	})
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]{1,512})$/i
const ORGANISATION_SLUG = /^[a-z0-9-]{1,64}$/

const scimFailureKey = (ip: string) => `scim:ip:${ip}`

/**
 * The organisation and token of a SCIM request, from its bearer token; the token must belong to
 * the organisation in the URL. Wrong tokens are counted per IP address and, past the limit, that
 * address is refused before any token is looked up. Every refusal is a 401 (429 past the limit).
 */
export async function authenticateScimRequest(request: Request, slug: string | undefined, ip: string): Promise<ScimActor> {
	const now = new Date()
	const failures = await prisma.rateLimitBucket.findUnique({ where: { key: scimFailureKey(ip) }, select: { count: true, windowStart: true } })
	const wait = retryAfterSeconds(failures, now, SCIM_TOKEN_FAILURE_POLICY)
	if (wait > 0) throw new ScimError(429, SCIM_MESSAGES.tooManyFailures, 'tooMany', { 'Retry-After': String(wait) })

	const refuse = async (detail: string) => {
		await recordAttempt([scimFailureKey(ip)], SCIM_TOKEN_FAILURE_POLICY, now)
		return new ScimError(401, detail, undefined, { 'WWW-Authenticate': 'Bearer realm="Bulwark SCIM"' })
	}
	const token = BEARER.exec(request.headers.get('Authorization') ?? '')?.[1]
	if (!token) throw await refuse(SCIM_MESSAGES.missingToken)
	const found = slug && ORGANISATION_SLUG.test(slug)
		? await prisma.scimToken.findFirst({
				where: { tokenHash: hashToken(token), organisation: { slug } },
				select: { id: true, name: true, organisationId: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
			})
		: null
	// A token of another organisation is as unknown here as a made-up one.
	if (!found) throw await refuse(SCIM_MESSAGES.invalidToken)
	if (found.revokedAt) throw await refuse(SCIM_MESSAGES.revokedToken)
	if (found.expiresAt <= now) throw await refuse(SCIM_MESSAGES.expiredToken)
	if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
		await prisma.scimToken.update({ where: { id: found.id }, data: { lastUsedAt: now }, select: { id: true } })
	}
	return { organisationId: found.organisationId, tokenId: found.id, tokenName: found.name }
}
