import { serialize } from 'cookie'
import type { Language, Role } from '#app/generated/prisma/enums.ts'
import { changeInvalidatedCache } from '#app/utils/change-cache.server.ts'
import { prisma, queryRows, type SqlStatement } from '#app/utils/db.server.ts'
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
	emailVerified: boolean
	organisations: UserOrganisation[]
}

/** An organisation the user is an active member of, for the header's menu and the dashboard. */
type UserOrganisation = { role: Role; organisation: { id: string; slug: string; name: string } }

// Every signed-in request runs this (docs/decisions/013 and 014): the session, its user and the
// user's organisations in one statement.
const SESSION_STATEMENT: SqlStatement = {
	name: 'bulwark_session',
	text: `SELECT s."id", s."expiresAt", s."currentOrganisationId", u."id" AS "userId", u."email", u."name", u."language"::text AS "language", u."emailVerifiedAt" IS NOT NULL AS "emailVerified",
		COALESCE((
			SELECT json_agg(json_build_object('role', m."role", 'organisation', json_build_object('id', o."id", 'slug', o."slug", 'name', o."name")) ORDER BY o."name")
			FROM "Membership" m JOIN "Organisation" o ON o."id" = m."organisationId"
			WHERE m."userId" = u."id" AND m."deactivatedAt" IS NULL
		), '[]'::json) AS "organisations"
	FROM "Session" s JOIN "User" u ON u."id" = s."userId"
	WHERE s."id" = $1`,
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
	const readRow = async () => (await queryRows<SessionRow>(SESSION_STATEMENT, [id]))[0]
	const cache = await changeInvalidatedCache<SessionRow>('sessions')
	const row = cache ? await cache.read(id, readRow, (session) => session.userId) : await readRow()
	if (!row) return null
	const session = {
		id: row.id,
		expiresAt: row.expiresAt,
		currentOrganisationId: row.currentOrganisationId,
		user: { id: row.userId, email: row.email, name: row.name, language: row.language, emailVerified: row.emailVerified },
		organisations: row.organisations,
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
