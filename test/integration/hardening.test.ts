import { describe, expect, test } from 'vitest'
import type { Role } from '#app/generated/prisma/enums.ts'
import { changePassword } from '#app/modules/auth/auth.server.ts'
import { verifyPassword } from '#app/modules/auth/password.server.ts'
import {
	acceptInvitation,
	acceptInvitationWithNewAccount,
	createInvitation,
	INVITATION_STATE_MESSAGES,
	InvitationError,
	revokeInvitation,
} from '#app/modules/organisations/invitations.server.ts'
import { MemberChangeError, setMemberActive, updateMember } from '#app/modules/organisations/members.server.ts'
import { createOrganisation } from '#app/modules/organisations/organisations.server.ts'
import { LOGIN_FAILURE_POLICY } from '#app/modules/rate-limit/rate-limit.ts'
import { action as settingsAction } from '#app/routes/settings.tsx'
import { prisma } from '#app/utils/db.server.ts'
import {
	addMember,
	createDepartment,
	createOrganisationWithAdmin,
	createOrganisationWithTwoAdmins,
	createSessionCookie,
	createUser,
	expectData,
	expectRedirect,
	headersOf,
	invitationTokenFromLink,
	PASSWORD,
	randomId,
	routeContext,
	postRequest,
	uniqueEmail,
} from '#tests/fixtures/users.ts'

const NEW_PASSWORD = 'marble otters collect rusty compasses'
const WRONG_PASSWORD = 'this is not the current password at all'

/** Rounds of each race: on PostgreSQL every round is another chance for both transactions to overlap. */
const ROUNDS = 5

const activeAdmins = (organisationId: string) =>
	prisma.membership.findMany({ where: { organisationId, role: 'ADMIN', deactivatedAt: null }, select: { id: true } })

/** Exactly one of two settled calls succeeded; the other failed with MemberChangeError. Returns the winner's index. */
function expectOneWinner(results: PromiseSettledResult<unknown>[]) {
	const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected')
	expect(rejected, `expected exactly one failure, got ${rejected.map((result) => String(result.reason)).join('; ') || 'none'}`).toHaveLength(1)
	expect(rejected[0]!.reason).toBeInstanceOf(MemberChangeError)
	expect((rejected[0]!.reason as Error).message).toMatch(/at least one active admin/)
	return results.findIndex((result) => result.status === 'fulfilled')
}

describe('the last-admin guard under concurrent changes', () => {
	test('two admins demoting each other at once: one succeeds, one admin remains', async () => {
		for (let round = 0; round < ROUNDS; round++) {
			const { organisation, a, b } = await createOrganisationWithTwoAdmins({ prefix: 'demote-race' })
			const demote = (target: typeof a, actor: typeof a) =>
				updateMember({ organisationId: organisation.id, actorId: actor.user.id, membershipId: target.membershipId, role: 'LEARNER', departmentId: null })

			const results = await Promise.allSettled([demote(a, b), demote(b, a)])

			const winner = expectOneWinner(results)
			const admins = await activeAdmins(organisation.id)
			expect(admins).toHaveLength(1)
			// The survivor is the one whose demotion failed.
			expect(admins[0]!.id).toBe(winner === 0 ? b.membershipId : a.membershipId)
			expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'member.role_changed' } })).toBe(1)
		}
	})

	test('two admins deactivating each other at once: one succeeds, one admin remains', async () => {
		for (let round = 0; round < ROUNDS; round++) {
			const { organisation, a, b } = await createOrganisationWithTwoAdmins({ prefix: 'deactivate-race' })
			const deactivate = (target: typeof a, actor: typeof a) =>
				setMemberActive({ organisationId: organisation.id, actorId: actor.user.id, membershipId: target.membershipId, active: false })

			const results = await Promise.allSettled([deactivate(a, b), deactivate(b, a)])

			const winner = expectOneWinner(results)
			const admins = await activeAdmins(organisation.id)
			expect(admins).toHaveLength(1)
			expect(admins[0]!.id).toBe(winner === 0 ? b.membershipId : a.membershipId)
			expect(await prisma.membership.count({ where: { organisationId: organisation.id, deactivatedAt: { not: null } } })).toBe(1)
			expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'member.deactivated' } })).toBe(1)
		}
	})

	test('one admin demoted while the other is deactivated at once: one succeeds, one admin remains', async () => {
		for (let round = 0; round < ROUNDS; round++) {
			const { organisation, a, b } = await createOrganisationWithTwoAdmins({ prefix: 'mixed-race' })

			const results = await Promise.allSettled([
				updateMember({ organisationId: organisation.id, actorId: b.user.id, membershipId: a.membershipId, role: 'MANAGER', departmentId: null }),
				setMemberActive({ organisationId: organisation.id, actorId: a.user.id, membershipId: b.membershipId, active: false }),
			])

			expectOneWinner(results)
			expect(await activeAdmins(organisation.id)).toHaveLength(1)
		}
	})
})

/** An invitation created through the module for an address, with its token. */
async function invite(organisationId: string, actorId: string, email: string, role: Role, departmentId: string | null = null) {
	const { link, invitationId } = await createInvitation({ organisationId, actorId, email, role, departmentId, origin: 'http://localhost' })
	return { invitationId, token: invitationTokenFromLink(link) }
}

const membershipOf = (organisationId: string, userId: string) =>
	prisma.membership.findUniqueOrThrow({
		where: { organisationId_userId: { organisationId, userId } },
		select: { id: true, role: true, departmentId: true, deactivatedAt: true },
	})

describe('accepting an invitation as an existing member', () => {
	test('an active member keeps the role an admin gave them after the invitation was sent', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'keep-role' })
		const finance = await createDepartment(organisation.id)
		const { user, membership } = await addMember(organisation.id, { role: 'LEARNER', deactivated: true })
		const { token, invitationId } = await invite(organisation.id, admin.id, user.email, 'LEARNER')

		await setMemberActive({ organisationId: organisation.id, actorId: admin.id, membershipId: membership.id, active: true })
		await updateMember({ organisationId: organisation.id, actorId: admin.id, membershipId: membership.id, role: 'ADMIN', departmentId: finance.id })

		const result = await acceptInvitation({ token, userId: user.id })

		expect(result.organisationSlug).toBe(organisation.slug)
		expect(await membershipOf(organisation.id, user.id)).toMatchObject({ id: membership.id, role: 'ADMIN', departmentId: finance.id, deactivatedAt: null })
		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: invitationId } })).acceptedAt).not.toBeNull()
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'invitation.accepted', targetUserId: user.id } })).toBe(1)
	})

	test('a deactivated member comes back active with the invited role and department', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'come-back' })
		const oldDepartment = await createDepartment(organisation.id)
		const newDepartment = await createDepartment(organisation.id)
		const { user, membership } = await addMember(organisation.id, { role: 'MANAGER', departmentId: oldDepartment.id, deactivated: true })
		const { token, invitationId } = await invite(organisation.id, admin.id, user.email, 'LEARNER', newDepartment.id)

		await acceptInvitation({ token, userId: user.id })

		expect(await membershipOf(organisation.id, user.id)).toMatchObject({ id: membership.id, role: 'LEARNER', departmentId: newDepartment.id, deactivatedAt: null })
		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: invitationId } })).acceptedAt).not.toBeNull()
	})
})

describe('accepting an invitation with a new account is all or nothing', () => {
	test('an address that already has an account: InvitationError, no second user, the invitation stays open', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'taken-address' })
		const email = uniqueEmail('invitee')
		const { token, invitationId } = await invite(organisation.id, admin.id, email, 'LEARNER')
		const existing = await createUser({ email })

		const error = await acceptInvitationWithNewAccount({ token, name: 'Second Account', password: NEW_PASSWORD }).catch((caught: unknown) => caught)

		expect(error).toBeInstanceOf(InvitationError)
		expect((error as Error).message).toMatch(/exists already/)
		const users = await prisma.user.findMany({ where: { email }, select: { id: true } })
		expect(users).toEqual([{ id: existing.id }])
		expect(await prisma.membership.count({ where: { organisationId: organisation.id, userId: existing.id } })).toBe(0)
		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: invitationId } })).acceptedAt).toBeNull()
	})

	test('a revoked invitation: InvitationError with the revoked message and no user row', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'revoked-signup' })
		const email = uniqueEmail('invitee')
		const { token, invitationId } = await invite(organisation.id, admin.id, email, 'LEARNER')
		await revokeInvitation({ organisationId: organisation.id, actorId: admin.id, invitationId })

		const error = await acceptInvitationWithNewAccount({ token, name: 'Too Late', password: NEW_PASSWORD }).catch((caught: unknown) => caught)

		expect(error).toBeInstanceOf(InvitationError)
		expect((error as Error).message).toBe(INVITATION_STATE_MESSAGES.revoked)
		expect(await prisma.user.count({ where: { email } })).toBe(0)
		expect(await prisma.membership.count({ where: { organisationId: organisation.id, user: { email } } })).toBe(0)
	})

	test('an open invitation creates the user and the membership together', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'fresh-signup' })
		const department = await createDepartment(organisation.id)
		const email = uniqueEmail('invitee')
		const { token, invitationId } = await invite(organisation.id, admin.id, email, 'MANAGER', department.id)

		const { userId, organisationSlug } = await acceptInvitationWithNewAccount({ token, name: 'New Person', password: NEW_PASSWORD })

		expect(organisationSlug).toBe(organisation.slug)
		expect(await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } })).toEqual({ id: userId })
		expect(await membershipOf(organisation.id, userId)).toMatchObject({ role: 'MANAGER', departmentId: department.id, deactivatedAt: null })
		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: invitationId } })).acceptedAt).not.toBeNull()
	})
})

const storedHash = async (userId: string) => (await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } })).passwordHash

describe('changing the password is rate limited per user', () => {
	test('after 10 wrong current passwords even the right one is refused, and the password stays', async () => {
		const user = await createUser({ prefix: 'pw-module' })
		const { sessionId } = await createSessionCookie(user.id)
		const other = await createUser({ prefix: 'pw-bystander' })
		const { sessionId: otherSessionId } = await createSessionCookie(other.id)
		const before = await storedHash(user.id)

		for (let attempt = 1; attempt <= LOGIN_FAILURE_POLICY.limit; attempt++) {
			const result = await changePassword({ userId: user.id, sessionId, currentPassword: `${WRONG_PASSWORD} ${attempt}`, newPassword: NEW_PASSWORD })
			expect(result, `attempt ${attempt}`).toEqual({ status: 'invalid' })
		}
		const limited = await changePassword({ userId: user.id, sessionId, currentPassword: PASSWORD, newPassword: NEW_PASSWORD })

		expect(limited.status).toBe('rate-limited')
		if (limited.status !== 'rate-limited') return
		expect(limited.retryAfterSeconds).toBeGreaterThan(0)
		expect(limited.retryAfterSeconds).toBeLessThanOrEqual(LOGIN_FAILURE_POLICY.windowMs / 1000)
		expect(limited.message).toMatch(/Too many wrong current passwords/)
		expect(await storedHash(user.id)).toBe(before)
		expect(await verifyPassword(before, PASSWORD)).toBe(true)

		// Another user is not affected: a wrong guess is just wrong, and the right password works.
		expect(await changePassword({ userId: other.id, sessionId: otherSessionId, currentPassword: WRONG_PASSWORD, newPassword: NEW_PASSWORD })).toEqual({
			status: 'invalid',
		})
		expect(await changePassword({ userId: other.id, sessionId: otherSessionId, currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).toEqual({ status: 'ok' })
		expect(await verifyPassword(await storedHash(other.id), NEW_PASSWORD)).toBe(true)
	})

	test('through the settings action: 400 for each wrong password, then 429 with Retry-After', async () => {
		const user = await createUser({ prefix: 'pw-route' })
		const { cookie } = await createSessionCookie(user.id)
		const before = await storedHash(user.id)
		const submit = (currentPassword: string) =>
			settingsAction({
				request: postRequest('/settings', { intent: 'change-password', currentPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, { cookie }),
				params: {},
				context: routeContext(),
			})

		for (let attempt = 1; attempt <= LOGIN_FAILURE_POLICY.limit; attempt++) {
			const wrong = expectData(await submit(`${WRONG_PASSWORD} ${attempt}`), 400)
			expect(wrong.data.result.error.currentPassword).toEqual(['Your current password is not correct.'])
		}
		const limited = expectData(await submit(PASSWORD), 429)

		const retryAfter = headersOf(limited).get('Retry-After')
		expect(retryAfter).toMatch(/^\d+$/)
		expect(Number(retryAfter)).toBeGreaterThan(0)
		expect(limited.data.result.error['']).toEqual([expect.stringMatching(/^Too many wrong current passwords/)])
		expect(await storedHash(user.id)).toBe(before)

		// Another user's change through the same action still goes through.
		const other = await createUser({ prefix: 'pw-route-bystander' })
		const { cookie: otherCookie } = await createSessionCookie(other.id)
		expectRedirect(
			await settingsAction({
				request: postRequest('/settings', { intent: 'change-password', currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, { cookie: otherCookie }),
				params: {},
				context: routeContext(),
			}),
			'/settings',
		)
	})
})

describe('creating organisations with one name at once', () => {
	test('ten concurrent creations all succeed with ten distinct slugs', async () => {
		const creator = await createUser({ prefix: 'slug-race' })
		const name = `Slug Race ${randomId()}`

		const results = await Promise.allSettled(Array.from({ length: 10 }, () => createOrganisation({ userId: creator.id, name })))

		// The last line of each error is enough to see why (Prisma's messages quote the code around the call).
		const failures = results
			.filter((result): result is PromiseRejectedResult => result.status === 'rejected')
			.map((result) => String(result.reason).trim().split('\n').at(-1))
		expect(failures, `${failures.length} of 10 concurrent createOrganisation calls failed`).toEqual([])
		const slugs = results.map((result) => (result as PromiseFulfilledResult<{ slug: string }>).value.slug)
		expect(new Set(slugs).size).toBe(10)
		const stored = await prisma.organisation.findMany({ where: { name }, select: { slug: true, memberships: { select: { userId: true, role: true } } } })
		expect(stored.map((organisation) => organisation.slug).sort()).toEqual([...slugs].sort())
		for (const organisation of stored) expect(organisation.memberships).toEqual([{ userId: creator.id, role: 'ADMIN' }])
	})
})
