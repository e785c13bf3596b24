import { serialize } from 'cookie'
import type { Language } from '#app/generated/prisma/enums.ts'
import { prisma } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { isSessionExpired, newSessionExpiry, shouldExtendSession } from './session-expiry.ts'
import { generateToken, hashToken } from './session-token.server.ts'

export const SESSION_COOKIE_NAME = 'bulwark_session'

type SessionRow = {
	id: string
	expiresAt: Date
	currentOrganisationId: string | null
	userId: string
	email: string
	name: string
	language: Language
}

export async function createSession(userId: string, userAgent?: string | null) {
	const token = generateToken()
	const session = await prisma.session.create({
		data: {
			id: hashToken(token),
			userId,
			expiresAt: newSessionExpiry(new Date()),
			userAgent: userAgent?.slice(0, 300) ?? null,
		},
		select: { id: true, expiresAt: true },
	})
	return { token, session }
}

/**
 * Looks the cookie's token up by its hash. Expired sessions are deleted; sessions past half of
 * their life are extended, and `refreshed` tells the caller to send the cookie again.
 */
export async function validateSessionToken(token: string) {
	const id = hashToken(token)
	// Every signed-in request runs this: one hand-written query (docs/decisions/013).
	const [row] = await prisma.$queryRaw<SessionRow[]>`
		SELECT s."id", s."expiresAt", s."currentOrganisationId", u."id" AS "userId", u."email", u."name", u."language"::text AS "language"
		FROM "Session" s JOIN "User" u ON u."id" = s."userId"
		WHERE s."id" = ${id}`
	if (!row) return null
	const session = {
		id: row.id,
		expiresAt: row.expiresAt,
		currentOrganisationId: row.currentOrganisationId,
		user: { id: row.userId, email: row.email, name: row.name, language: row.language },
	}
	const now = new Date()
	if (isSessionExpired(session.expiresAt, now)) {
		await prisma.session.deleteMany({ where: { id } })
		return null
	}
	if (shouldExtendSession(session.expiresAt, now)) {
		session.expiresAt = newSessionExpiry(now)
		// updateMany: another tab may have logged this session out a moment ago.
		await prisma.session.updateMany({ where: { id }, data: { expiresAt: session.expiresAt } })
		return { session, refreshed: true }
	}
	return { session, refreshed: false }
}

export async function invalidateSession(sessionId: string) {
	await prisma.session.deleteMany({ where: { id: sessionId } })
}

/** Ends every session of the user except, optionally, the one in use. */
export async function invalidateOtherSessions(userId: string, keepSessionId?: string) {
	const { count } = await prisma.session.deleteMany({
		where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
	})
	return count
}

export function serializeSessionCookie(token: string, expiresAt: Date) {
	return serialize(SESSION_COOKIE_NAME, token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: getEnv().NODE_ENV === 'production',
		expires: expiresAt,
	})
}

export function serializeBlankSessionCookie() {
	return serialize(SESSION_COOKIE_NAME, '', {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: getEnv().NODE_ENV === 'production',
		maxAge: 0,
	})
}

export function listUserSessions(userId: string) {
	return prisma.session.findMany({
		where: { userId, expiresAt: { gt: new Date() } },
		orderBy: { createdAt: 'desc' },
		select: { id: true, createdAt: true, userAgent: true },
	})
}
