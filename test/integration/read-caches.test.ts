import { describe, expect, test } from 'vitest'
import { hashToken } from '#app/modules/auth/session-token.server.ts'
import { invalidateOtherSessions, validateSessionToken } from '#app/modules/auth/session.server.ts'
import { revokeCertificate } from '#app/modules/certificates/certificates.server.ts'
import { setLanguage } from '#app/modules/courses/language.server.ts'
import { loadProgress } from '#app/modules/courses/progress.server.ts'
import { setMemberActive } from '#app/modules/organisations/members.server.ts'
import { changeInvalidatedCache } from '#app/utils/change-cache.server.ts'
import { prisma, usesEmbeddedDatabase } from '#app/utils/db.server.ts'
import { certificateCodeFrom, FREE_COURSE, fixtureOutline, openLesson, passCourse, postLesson } from '#tests/fixtures/learning.ts'
import { addMember, createOrganisationWithAdmin, createSessionCookie, createUser } from '#tests/fixtures/users.ts'

// The reads every page makes are cached on the embedded database and forgotten when the database
// announces a change (docs/decisions/014). Each test reads once (filling the cache), changes the
// data the way the app or an operator does, and expects the very next read to see the change.
// On PostgreSQL nothing is cached and the same expectations hold.

async function signedIn() {
	const user = await createUser({ prefix: 'cached' })
	const { cookie, token, sessionId } = await createSessionCookie(user.id)
	const session = async () => (await validateSessionToken(token))?.session ?? null
	return { user, cookie, token, sessionId, session }
}

test('the caches are in use exactly on the embedded database', async () => {
	const { session } = await signedIn()
	await session()
	const cache = await changeInvalidatedCache('sessions')
	expect(cache === null).toBe(!usesEmbeddedDatabase())
	if (cache) expect(cache.size).toBeGreaterThan(0)
})

describe('a cached session', () => {
	test('is refused on the next request once logged out everywhere', async () => {
		const { user, session } = await signedIn()
		expect((await session())?.user.id).toBe(user.id)
		await invalidateOtherSessions(user.id)
		expect(await session()).toBeNull()
	})

	test('is refused once its row is deleted by hand, outside the app', async () => {
		const { session, sessionId } = await signedIn()
		expect(await session()).not.toBeNull()
		await prisma.$executeRaw`DELETE FROM "Session" WHERE "id" = ${sessionId}`
		expect(await session()).toBeNull()
	})

	test("shows the user's new name and language at once", async () => {
		const { user, session } = await signedIn()
		expect((await session())?.user.language).toBe('en')
		await setLanguage(user.id, 'de')
		await prisma.user.update({ where: { id: user.id }, data: { name: 'Renamed Learner' }, select: { id: true } })
		expect((await session())?.user).toMatchObject({ name: 'Renamed Learner', language: 'de' })
	})

	test('lists an organisation as soon as the user joins it, and no longer once deactivated', async () => {
		const { user, session } = await signedIn()
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'cache-join' })
		expect((await session())?.organisations).toEqual([])
		const { membership } = await addMember(organisation.id, { user })
		expect((await session())?.organisations.map((entry) => entry.organisation.id)).toEqual([organisation.id])
		await setMemberActive({ organisationId: organisation.id, actorId: admin.id, membershipId: membership.id, active: false })
		expect((await session())?.organisations).toEqual([])
	})

	test("shows an organisation's new name to every member", async () => {
		const { user, session } = await signedIn()
		const { organisation } = await createOrganisationWithAdmin({ prefix: 'cache-rename' })
		await addMember(organisation.id, { user })
		expect((await session())?.organisations[0]?.organisation.name).toBe(organisation.name)
		await prisma.organisation.update({ where: { id: organisation.id }, data: { name: 'Renamed Organisation' }, select: { id: true } })
		expect((await session())?.organisations[0]?.organisation.name).toBe('Renamed Organisation')
	})

	test("is forgotten for its own user only: another user's cached session stays", async () => {
		const first = await signedIn()
		const second = await signedIn()
		await first.session()
		await second.session()
		await setLanguage(first.user.id, 'de')
		const cache = await changeInvalidatedCache<unknown>('sessions')
		if (cache) {
			const kept = await cache.read(hashToken(second.token), async () => undefined, () => second.user.id)
			expect(kept).toBeDefined()
		}
		expect((await second.session())?.user.language).toBe('en')
		expect((await first.session())?.user.language).toBe('de')
	})
})

describe("a learner's cached run through a course", () => {
	test('shows a lesson done right after completing it', async () => {
		const { user, cookie } = await signedIn()
		const [first] = await fixtureOutline(FREE_COURSE)
		await openLesson(cookie, FREE_COURSE, first!.slug)
		expect((await loadProgress(user.id, FREE_COURSE))?.doneLessons.has(first!.slug)).toBe(false)
		await postLesson(cookie, FREE_COURSE, first!.slug, { intent: 'complete' })
		expect((await loadProgress(user.id, FREE_COURSE))?.doneLessons.has(first!.slug)).toBe(true)
		expect((await openLesson(cookie, FREE_COURSE, first!.slug)).done).toBe(true)
	})

	test("shows the completion's certificate as revoked once an operator revokes it", async () => {
		const { user, cookie } = await signedIn()
		const code = certificateCodeFrom(await passCourse(cookie, FREE_COURSE))
		expect((await loadProgress(user.id, FREE_COURSE))?.completion?.revokedAt).toBeNull()
		await revokeCertificate(code, 'Issued in error')
		expect((await loadProgress(user.id, FREE_COURSE))?.completion?.revokedAt).toBeInstanceOf(Date)
	})
})
