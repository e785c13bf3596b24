import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import type { Role } from '#app/generated/prisma/enums.ts'
import { getAuthSession } from '#app/modules/auth/auth.server.ts'
import { listAssignedTraining } from '#app/modules/compliance/member-requirements.server.ts'
import { createInvitation, INVITATION_STATE_MESSAGES } from '#app/modules/organisations/invitations.server.ts'
import { action as invitationAction, loader as invitationLoader } from '#app/routes/invitations.$token.tsx'
import { action as invitationsAction } from '#app/routes/org.$slug.invitations.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { complianceFixtures } from '#tests/fixtures/compliance.ts'
import {
	createDepartment,
	createOrganisationWithAdmin,
	createSessionCookie,
	createUser,
	expectData,
	expectRedirect,
	getRequest,
	postRequest,
	routeContext,
	sessionCookieFrom,
	thrownBy,
	uniqueEmail,
} from '#tests/fixtures/users.ts'

const NEW_ACCOUNT_PASSWORD = 'marble otters collect rusty compasses'

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

function tokenFromLink(link: string) {
	const token = /\/invitations\/([^/?#]+)$/.exec(link)?.[1]
	if (!token) throw new Error(`No token in the invitation link ${link}`)
	return token
}

/** An organisation, its admin, and an open invitation for a new address (set up through the module). */
async function invitationFixture({ role = 'LEARNER', withDepartment = false }: { role?: Role; withDepartment?: boolean } = {}) {
	const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'invite' })
	const department = withDepartment ? await createDepartment(organisation.id) : null
	const email = uniqueEmail('invitee')
	const { link, invitationId } = await createInvitation({
		organisationId: organisation.id,
		actorId: admin.id,
		email,
		role,
		departmentId: department?.id ?? null,
		origin: 'http://localhost',
	})
	return { organisation, admin, department, email, invitationId, token: tokenFromLink(link) }
}

function accept(token: string, fields: Record<string, string>, cookie?: string) {
	return invitationAction({ request: postRequest(`/invitations/${token}`, fields, { cookie }), params: { token }, context: routeContext() })
}

function loadInvitation(token: string, cookie?: string) {
	return invitationLoader({ request: getRequest(`/invitations/${token}`, { cookie }), params: { token }, context: routeContext() })
}

const membershipOf = (organisationId: string, userId: string) =>
	prisma.membership.findUnique({ where: { organisationId_userId: { organisationId, userId } } })

describe('creating an invitation', () => {
	test('an admin invites through the route: only the token hash is stored and the event is audited', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'inviter' })
		const { cookie } = await createSessionCookie(admin.id)
		const department = await createDepartment(organisation.id, 'Finance')
		const email = uniqueEmail('colleague')

		const result = await invitationsAction({
			request: postRequest(`/org/${organisation.slug}/invitations`, { intent: 'invite', email: email.toUpperCase(), role: 'MANAGER', departmentId: department.id }, { cookie }),
			params: { slug: organisation.slug },
			context: routeContext(),
		})

		if (result instanceof Response || !('created' in result) || !result.created?.link) throw new Error(`Expected the created invitation, got ${JSON.stringify(result)}`)
		const token = tokenFromLink(result.created.link)
		// Found by the hash of the link's token: that hash is all the database holds.
		const invitation = await prisma.invitation.findUniqueOrThrow({ where: { tokenHash: createHash('sha256').update(token).digest('hex') } })
		expect(invitation.email).toBe(email)
		expect(invitation.role).toBe('MANAGER')
		expect(invitation.departmentId).toBe(department.id)
		expect(invitation.invitedById).toBe(admin.id)
		expect(invitation.tokenHash).toMatch(/^[0-9a-f]{64}$/)
		expect(invitation.tokenHash).not.toBe(token)
		expect(invitation.tokenHash).toBe(sha256(token))
		expect(await prisma.invitation.count({ where: { tokenHash: token } })).toBe(0)

		const events = await prisma.auditEvent.findMany({ where: { organisationId: organisation.id, action: 'invitation.created' } })
		expect(events).toHaveLength(1)
		expect(events[0]).toMatchObject({ actorId: admin.id, targetLabel: email, details: { role: 'Manager' } })
		expect(JSON.stringify(events[0])).not.toContain(token)
	})

	test('a new invitation for the same address replaces the open one', async () => {
		const { organisation, admin, email, token: firstToken, invitationId: firstId } = await invitationFixture()

		const second = await createInvitation({ organisationId: organisation.id, actorId: admin.id, email, role: 'LEARNER', departmentId: null, origin: 'http://localhost' })

		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: firstId } })).revokedAt).not.toBeNull()
		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: second.invitationId } })).revokedAt).toBeNull()
		const first = await loadInvitation(firstToken)
		expect(first.invitation.problem).toBe(INVITATION_STATE_MESSAGES.revoked)
	})
})

describe('accepting an invitation', () => {
	test('with a new account: creates the user, the membership with the invited role and department, and a session', async () => {
		const { organisation, department, email, token, invitationId } = await invitationFixture({ role: 'MANAGER', withDepartment: true })
		const preview = await loadInvitation(token)
		expect(preview).toMatchObject({ invitation: { email, role: 'MANAGER', problem: null }, signedInAs: null, accountExists: false })

		const response = expectRedirect(await accept(token, { intent: 'signup', name: 'Nora Newcomer', password: NEW_ACCOUNT_PASSWORD }), `/org/${organisation.slug}`)

		const user = await prisma.user.findUniqueOrThrow({ where: { email } })
		expect(user.name).toBe('Nora Newcomer')
		expect(user.passwordHash.startsWith('$argon2id$')).toBe(true)
		const membership = await membershipOf(organisation.id, user.id)
		expect(membership).toMatchObject({ role: 'MANAGER', departmentId: department!.id, deactivatedAt: null })
		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: invitationId } })).acceptedAt).not.toBeNull()

		const cookie = sessionCookieFrom(response)
		expect(cookie).not.toBeNull()
		const { session } = await getAuthSession(getRequest('/', { cookie: cookie!.cookie }))
		expect(session?.user.id).toBe(user.id)

		const events = await prisma.auditEvent.findMany({ where: { organisationId: organisation.id, action: 'invitation.accepted' } })
		expect(events).toHaveLength(1)
		expect(events[0]).toMatchObject({ actorId: user.id, targetUserId: user.id, targetLabel: email, details: { role: 'Manager' } })
	})

	test('with an existing, signed-in account: creates the membership', async () => {
		const { organisation, email, token } = await invitationFixture({ role: 'ADMIN' })
		const user = await createUser({ email })
		const { cookie } = await createSessionCookie(user.id)
		const preview = await loadInvitation(token, cookie)
		expect(preview).toMatchObject({ signedInAs: email, accountExists: true, invitation: { problem: null } })

		expectRedirect(await accept(token, { intent: 'accept' }, cookie), `/org/${organisation.slug}`)

		expect(await membershipOf(organisation.id, user.id)).toMatchObject({ role: 'ADMIN', departmentId: null, deactivatedAt: null })
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'invitation.accepted', targetUserId: user.id } })).toBe(1)
	})

	test('without a session, "accept" answers 401 and creates nothing', async () => {
		const { organisation, email, token, invitationId } = await invitationFixture()
		await createUser({ email })

		const result = expectData(await accept(token, { intent: 'accept' }), 401)

		expect(result.data.error).toMatch(/Log in first/)
		expect(await prisma.membership.count({ where: { organisationId: organisation.id, user: { email } } })).toBe(0)
		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: invitationId } })).acceptedAt).toBeNull()
	})

	test('"signup" for an address that already has an account is refused and creates no second account', async () => {
		const { organisation, email, token } = await invitationFixture()
		const existing = await createUser({ email })

		const result = expectData(await accept(token, { intent: 'signup', name: 'Impostor', password: NEW_ACCOUNT_PASSWORD }), 400)

		expect(result.data.error).toMatch(/already/)
		expect(sessionCookieFrom(result)).toBeNull()
		expect((await prisma.user.findUniqueOrThrow({ where: { email } })).id).toBe(existing.id)
		expect(await membershipOf(organisation.id, existing.id)).toBeNull()
	})
})

describe('refused invitations', () => {
	test('a used invitation is refused the second time', async () => {
		const { organisation, email, token } = await invitationFixture()
		const user = await createUser({ email })
		const { cookie } = await createSessionCookie(user.id)
		expectRedirect(await accept(token, { intent: 'accept' }, cookie))

		const again = expectData(await accept(token, { intent: 'accept' }, cookie), 400)
		expect(again.data.error).toBe(INVITATION_STATE_MESSAGES.used)
		expect(again.data.error).toMatch(/already been used/)

		// Nor can anyone else use it for a new account.
		const anonymous = expectData(await accept(token, { intent: 'signup', name: 'Late Comer', password: NEW_ACCOUNT_PASSWORD }), 400)
		expect(anonymous.data.error).toBe(INVITATION_STATE_MESSAGES.used)
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'invitation.accepted' } })).toBe(1)
		expect((await loadInvitation(token)).invitation.problem).toBe(INVITATION_STATE_MESSAGES.used)
	})

	test('an expired invitation is refused', async () => {
		const { organisation, email, token, invitationId } = await invitationFixture()
		await prisma.invitation.update({ where: { id: invitationId }, data: { expiresAt: new Date(Date.now() - 60_000) } })
		const user = await createUser({ email })
		const { cookie } = await createSessionCookie(user.id)

		const result = expectData(await accept(token, { intent: 'accept' }, cookie), 400)

		expect(result.data.error).toBe(INVITATION_STATE_MESSAGES.expired)
		expect(result.data.error).toMatch(/expired/)
		expect(await membershipOf(organisation.id, user.id)).toBeNull()
		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: invitationId } })).acceptedAt).toBeNull()
		expect((await loadInvitation(token, cookie)).invitation.problem).toBe(INVITATION_STATE_MESSAGES.expired)
	})

	test('an expired invitation creates no account through "signup"', async () => {
		const { email, token, invitationId } = await invitationFixture()
		await prisma.invitation.update({ where: { id: invitationId }, data: { expiresAt: new Date(Date.now() - 60_000) } })

		const result = expectData(await accept(token, { intent: 'signup', name: 'Too Late', password: NEW_ACCOUNT_PASSWORD }), 400)

		expect(result.data.error).toBe(INVITATION_STATE_MESSAGES.expired)
		expect(await prisma.user.count({ where: { email } })).toBe(0)
	})

	test('a revoked invitation is refused', async () => {
		const { organisation, admin, email, token, invitationId } = await invitationFixture()
		const adminSession = await createSessionCookie(admin.id)
		expectRedirect(
			await invitationsAction({
				request: postRequest(`/org/${organisation.slug}/invitations`, { intent: 'revoke', invitationId }, { cookie: adminSession.cookie }),
				params: { slug: organisation.slug },
				context: routeContext(),
			}),
		)
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'invitation.revoked', targetLabel: email } })).toBe(1)
		const user = await createUser({ email })
		const { cookie } = await createSessionCookie(user.id)

		const result = expectData(await accept(token, { intent: 'accept' }, cookie), 400)

		expect(result.data.error).toBe(INVITATION_STATE_MESSAGES.revoked)
		expect(await membershipOf(organisation.id, user.id)).toBeNull()
	})

	test('signed in with another address than the invited one: refused, no membership, the invitation stays open', async () => {
		const { organisation, email, token, invitationId } = await invitationFixture()
		const stranger = await createUser({ prefix: 'stranger' })
		const { cookie } = await createSessionCookie(stranger.id)

		const result = expectData(await accept(token, { intent: 'accept' }, cookie), 400)

		expect(result.data.error).toBe(`This invitation is for ${email}. Sign in with that address to accept it.`)
		expect(await membershipOf(organisation.id, stranger.id)).toBeNull()
		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: invitationId } })).acceptedAt).toBeNull()
	})

	test('an unknown token is a 404 from the loader and the action', async () => {
		const { token } = await invitationFixture()
		const unknown = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`

		const fromLoader = expectData(await thrownBy(loadInvitation(unknown)), 404)
		expect(fromLoader.data.message).toMatch(/not valid/)
		expectData(await thrownBy(accept(unknown, { intent: 'signup', name: 'Guesser', password: NEW_ACCOUNT_PASSWORD })), 404)
	})
})

describe('re-joining with an invitation', () => {
	test('a deactivated member invited into another department starts afresh: due, not overdue, the day they rejoin', async () => {
		const now = new Date()
		const { daysFrom, requirement, member } = complianceFixtures(now)
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'rejoin' })
		const sales = await createDepartment(organisation.id, 'Sales')
		const finance = await createDepartment(organisation.id, 'Finance')
		const forEveryone = await requirement(organisation.id, { createdAt: daysFrom(-400), dueWithinDays: 30 })
		const forFinance = await requirement(organisation.id, { createdAt: daysFrom(-400), dueWithinDays: 14, audience: 'DEPARTMENTS', departmentIds: [finance.id] })
		// Joined Sales 500 days ago and left; comes back to Finance.
		const returning = await member(organisation.id, { departmentId: sales.id, deactivated: true })
		const { link } = await createInvitation({ organisationId: organisation.id, actorId: admin.id, email: returning.email, role: 'MANAGER', departmentId: finance.id, origin: 'http://localhost' })
		const { cookie } = await createSessionCookie(returning.id)
		expectRedirect(await accept(tokenFromLink(link), { intent: 'accept' }, cookie), `/org/${organisation.slug}`)

		const membership = await membershipOf(organisation.id, returning.id)
		expect(membership).toMatchObject({ role: 'MANAGER', departmentId: finance.id, deactivatedAt: null })
		for (const since of [membership!.joinedAt, membership!.roleSince, membership!.departmentSince]) expect(since.getTime()).toBeGreaterThanOrEqual(now.getTime())
		const dueOn = (days: number) => daysFrom(days).toISOString().slice(0, 10)
		const assigned = await listAssignedTraining(returning.id)
		expect(assigned.map((row) => [row.requirementId, row.status, row.dueOn.toISOString().slice(0, 10)])).toEqual([
			[forFinance.id, 'DUE', dueOn(14)],
			[forEveryone.id, 'DUE', dueOn(30)],
		])
	})
})
