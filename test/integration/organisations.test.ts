import { beforeAll, describe, expect, test } from 'vitest'
import { slugify } from '#app/modules/organisations/organisations.server.ts'
import { loader as auditLoader } from '#app/routes/org.$slug.audit.tsx'
import { action as invitationsAction } from '#app/routes/org.$slug.invitations.tsx'
import { action as membersAction, loader as membersLoader } from '#app/routes/org.$slug.members.tsx'
import { loader as organisationLoader } from '#app/routes/org.$slug.tsx'
import { action as newOrganisationAction } from '#app/routes/orgs.new.tsx'
import { prisma } from '#app/utils/db.server.ts'
import {
	addMember,
	createDepartment,
	createOrganisationWithAdmin,
	createSessionCookie,
	createUser,
	expectData,
	expectRedirect,
	expectThrownStatus,
	getRequest,
	postRequest,
	randomId,
	routeContext,
	thrownBy,
	uniqueEmail,
} from '#tests/fixtures/users.ts'

const NOT_FOUND_MESSAGE = 'We could not find that organisation among yours.'

const args = (request: Request, slug: string) => ({ request, params: { slug }, context: routeContext() })

const loadMembers = (slug: string, cookie: string) => membersLoader(args(getRequest(`/org/${slug}/members`, { cookie }), slug))
const loadAudit = (slug: string, cookie: string) => auditLoader(args(getRequest(`/org/${slug}/audit`, { cookie }), slug))
const loadOrganisation = (slug: string, cookie: string) => organisationLoader(args(getRequest(`/org/${slug}`, { cookie }), slug))
const changeMember = (slug: string, cookie: string, fields: Record<string, string>) =>
	membersAction(args(postRequest(`/org/${slug}/members`, fields, { cookie }), slug))
const invite = (slug: string, cookie: string, fields: Record<string, string>) =>
	invitationsAction(args(postRequest(`/org/${slug}/invitations`, { intent: 'invite', ...fields }, { cookie }), slug))

const membershipById = (id: string) => prisma.membership.findUniqueOrThrow({ where: { id } })

describe('tenant isolation', () => {
	// Two organisations set up once; the tests here only read them or try changes that must fail.
	let a: { slug: string; id: string; adminCookie: string; managerCookie: string; managerMembershipId: string }
	let b: {
		slug: string
		id: string
		name: string
		adminCookie: string
		managerCookie: string
		learnerCookie: string
		learnerMembershipId: string
		learnerEmail: string
	}

	beforeAll(async () => {
		const orgA = await createOrganisationWithAdmin({ prefix: 'tenant-a' })
		const managerA = await addMember(orgA.organisation.id, { role: 'MANAGER' })
		a = {
			...orgA.organisation,
			adminCookie: (await createSessionCookie(orgA.admin.id)).cookie,
			managerCookie: (await createSessionCookie(managerA.user.id)).cookie,
			managerMembershipId: managerA.membership.id,
		}
		const orgB = await createOrganisationWithAdmin({ prefix: 'tenant-b' })
		const managerB = await addMember(orgB.organisation.id, { role: 'MANAGER' })
		const learnerB = await addMember(orgB.organisation.id, { role: 'LEARNER' })
		b = {
			...orgB.organisation,
			adminCookie: (await createSessionCookie(orgB.admin.id)).cookie,
			managerCookie: (await createSessionCookie(managerB.user.id)).cookie,
			learnerCookie: (await createSessionCookie(learnerB.user.id)).cookie,
			learnerMembershipId: learnerB.membership.id,
			learnerEmail: learnerB.user.email,
		}
	})

	test('a manager of A gets 404 from B’s members and audit loaders, while A’s members list works', async () => {
		const own = await loadMembers(a.slug, a.managerCookie)
		expect(own.table.members.map((member) => member.membershipId)).toContain(a.managerMembershipId)

		for (const load of [loadMembers, loadAudit]) {
			const refused = await expectThrownStatus(load(b.slug, a.managerCookie), 404)
			expect(refused.data).toEqual({ message: NOT_FOUND_MESSAGE })
		}
	})

	test('an admin of A gets 404 from B’s members and audit loaders, and A’s audit log holds nothing of B', async () => {
		for (const load of [loadMembers, loadAudit, loadOrganisation]) {
			const refused = await expectThrownStatus(load(b.slug, a.adminCookie), 404)
			expect(refused.data).toEqual({ message: NOT_FOUND_MESSAGE })
		}

		const own = await loadAudit(a.slug, a.adminCookie)
		expect(own.events.map((event) => event.action)).toContain('organisation.created')
		expect(own.events.some((event) => event.targetLabel === b.name || event.targetUser?.email === b.learnerEmail)).toBe(false)
	})

	test('an admin of A cannot change B’s members or invite people into B', async () => {
		await expectThrownStatus(changeMember(b.slug, a.adminCookie, { intent: 'update', membershipId: b.learnerMembershipId, role: 'ADMIN' }), 404)
		await expectThrownStatus(changeMember(b.slug, a.adminCookie, { intent: 'set-active', membershipId: b.learnerMembershipId, active: 'false', confirmed: 'yes' }), 404)
		expect(await membershipById(b.learnerMembershipId)).toMatchObject({ role: 'LEARNER', deactivatedAt: null })

		const email = uniqueEmail('smuggled')
		await expectThrownStatus(invite(b.slug, a.adminCookie, { email, role: 'ADMIN' }), 404)
		expect(await prisma.invitation.count({ where: { email } })).toBe(0)
	})

	test('an admin of A cannot reach a member of B through A’s own members action', async () => {
		const refused = await expectThrownStatus(changeMember(a.slug, a.adminCookie, { intent: 'update', membershipId: b.learnerMembershipId, role: 'ADMIN' }), 404)
		expect(refused.data.message).toBe('That member is not in this organisation.')
		await expectThrownStatus(changeMember(a.slug, a.adminCookie, { intent: 'set-active', membershipId: b.learnerMembershipId, active: 'false', confirmed: 'yes' }), 404)
		expect(await membershipById(b.learnerMembershipId)).toMatchObject({ role: 'LEARNER', deactivatedAt: null })
		expect(await prisma.auditEvent.count({ where: { organisationId: { in: [a.id, b.id] }, action: { startsWith: 'member.' } } })).toBe(0)
	})

	test('a learner of B opens B but gets 403 on its member list', async () => {
		const layout = await loadOrganisation(b.slug, b.learnerCookie)
		expect(layout).toMatchObject({ organisation: { id: b.id }, role: 'LEARNER' })

		const refused = await expectThrownStatus(loadMembers(b.slug, b.learnerCookie), 403)
		expect(refused.data.message).toBe('Only managers and admins can see the member list.')
	})

	test('a manager of B sees B’s member list but gets 403 on the audit log and on member changes', async () => {
		const list = await loadMembers(b.slug, b.managerCookie)
		expect(list.isAdmin).toBe(false)
		expect(list.table.members.map((member) => member.membershipId)).toContain(b.learnerMembershipId)
		expect(list.table.members.map((member) => member.membershipId)).not.toContain(a.managerMembershipId)

		expect((await expectThrownStatus(loadAudit(b.slug, b.managerCookie), 403)).data.message).toBe('Only admins can read the audit log.')
		const refused = await expectThrownStatus(changeMember(b.slug, b.managerCookie, { intent: 'update', membershipId: b.learnerMembershipId, role: 'MANAGER' }), 403)
		expect(refused.data.message).toBe('Only admins can change members.')
		await expectThrownStatus(invite(b.slug, b.managerCookie, { email: uniqueEmail('by-manager'), role: 'LEARNER' }), 403)
		expect(await membershipById(b.learnerMembershipId)).toMatchObject({ role: 'LEARNER', deactivatedAt: null })
	})

	test('without a session, organisation pages send the visitor to log in', async () => {
		const thrown = await thrownBy(loadMembers(b.slug, 'bulwark_session=forged'))
		expectRedirect(thrown, `/login?${new URLSearchParams({ redirectTo: `/org/${b.slug}/members` })}`)
	})
})

describe('member administration', () => {
	test('an admin changes a role and a department; both changes are audited with from and to', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'changes' })
		const { cookie } = await createSessionCookie(admin.id)
		const sales = await createDepartment(organisation.id, 'Sales')
		const support = await createDepartment(organisation.id, 'Support')
		const { user, membership } = await addMember(organisation.id, { role: 'LEARNER', departmentId: sales.id })

		expectRedirect(
			await changeMember(organisation.slug, cookie, { intent: 'update', membershipId: membership.id, role: 'MANAGER', departmentId: support.id }),
			`/org/${organisation.slug}/members`,
		)

		expect(await membershipById(membership.id)).toMatchObject({ role: 'MANAGER', departmentId: support.id })
		const events = await prisma.auditEvent.findMany({ where: { organisationId: organisation.id, action: { startsWith: 'member.' } } })
		expect(events).toHaveLength(2)
		const target = { actorId: admin.id, targetUserId: user.id, targetLabel: user.email }
		expect(events.find((event) => event.action === 'member.role_changed')).toMatchObject({ ...target, details: { from: 'Learner', to: 'Manager' } })
		expect(events.find((event) => event.action === 'member.department_changed')).toMatchObject({ ...target, details: { from: 'Sales', to: 'Support' } })

		// Removing the department is recorded as a change to none; the unchanged role is not recorded again.
		expectRedirect(await changeMember(organisation.slug, cookie, { intent: 'update', membershipId: membership.id, role: 'MANAGER', departmentId: '' }))
		expect((await membershipById(membership.id)).departmentId).toBeNull()
		const later = await prisma.auditEvent.findMany({ where: { organisationId: organisation.id, action: { startsWith: 'member.' } } })
		expect(later.filter((event) => event.action === 'member.role_changed')).toHaveLength(1)
		expect(later.filter((event) => event.action === 'member.department_changed').map((event) => event.details)).toContainEqual({ from: 'Support', to: null })
	})

	test('the last active admin can be neither demoted nor deactivated', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'last-admin' })
		const { cookie } = await createSessionCookie(admin.id)
		const own = await prisma.membership.findFirstOrThrow({ where: { organisationId: organisation.id, userId: admin.id } })
		// A deactivated admin does not count as another admin.
		const dormant = await addMember(organisation.id, { role: 'ADMIN', deactivated: true })

		const demoted = expectData(await changeMember(organisation.slug, cookie, { intent: 'update', membershipId: own.id, role: 'LEARNER' }), 400)
		expect(demoted.data.result.error[''][0]).toMatch(/at least one active admin/)
		const deactivated = expectData(await changeMember(organisation.slug, cookie, { intent: 'set-active', membershipId: own.id, active: 'false', confirmed: 'yes' }), 400)
		expect(deactivated.data.result.error[''][0]).toMatch(/at least one active admin/)
		expect(await membershipById(own.id)).toMatchObject({ role: 'ADMIN', deactivatedAt: null })
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: { startsWith: 'member.' } } })).toBe(0)

		// With another active admin, stepping down is allowed.
		expectRedirect(await changeMember(organisation.slug, cookie, { intent: 'set-active', membershipId: dormant.membership.id, active: 'true' }))
		expectRedirect(await changeMember(organisation.slug, cookie, { intent: 'update', membershipId: own.id, role: 'LEARNER' }))
		expect((await membershipById(own.id)).role).toBe('LEARNER')
	})

	test('a department of another organisation is refused for members and for invitations', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'dept-own' })
		const { cookie } = await createSessionCookie(admin.id)
		const other = await createOrganisationWithAdmin({ prefix: 'dept-other' })
		const foreign = await createDepartment(other.organisation.id, 'Foreign')
		const { membership } = await addMember(organisation.id)

		const result = expectData(await changeMember(organisation.slug, cookie, { intent: 'update', membershipId: membership.id, role: 'LEARNER', departmentId: foreign.id }), 400)
		expect(result.data.result.error['']).toEqual(['That department does not exist in this organisation.'])
		expect((await membershipById(membership.id)).departmentId).toBeNull()

		const email = uniqueEmail('dept-invite')
		expectData(await invite(organisation.slug, cookie, { email, role: 'LEARNER', departmentId: foreign.id }), 400)
		expect(await prisma.invitation.count({ where: { email } })).toBe(0)
	})

	test('a deactivated member gets 404 on their former organisation', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'deactivate' })
		const adminSession = await createSessionCookie(admin.id)
		const { user, membership } = await addMember(organisation.id, { role: 'MANAGER' })
		const { cookie } = await createSessionCookie(user.id)
		await loadMembers(organisation.slug, cookie)

		expectRedirect(await changeMember(organisation.slug, adminSession.cookie, { intent: 'set-active', membershipId: membership.id, active: 'false', confirmed: 'yes' }))

		expect((await membershipById(membership.id)).deactivatedAt).not.toBeNull()
		for (const load of [loadMembers, loadOrganisation]) {
			expect((await expectThrownStatus(load(organisation.slug, cookie), 404)).data).toEqual({ message: NOT_FOUND_MESSAGE })
		}
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'member.deactivated', targetUserId: user.id } })).toBe(1)
	})
})

describe('creating an organisation', () => {
	test('makes the creator its admin and gives a repeated name a unique slug', async () => {
		const user = await createUser({ prefix: 'founder' })
		const { cookie } = await createSessionCookie(user.id)
		const name = `Acme Security ${randomId()}`
		const create = () => newOrganisationAction({ request: postRequest('/orgs/new', { name }, { cookie }), params: {}, context: routeContext() })

		const first = expectRedirect(await create(), `/org/${slugify(name)}`)
		const second = expectRedirect(await create(), `/org/${slugify(name)}-2`)
		expect(first.headers.get('Location')).not.toBe(second.headers.get('Location'))

		const organisations = await prisma.organisation.findMany({ where: { name }, include: { memberships: true } })
		expect(organisations.map((organisation) => organisation.slug).sort()).toEqual([slugify(name), `${slugify(name)}-2`])
		for (const organisation of organisations) {
			expect(organisation.memberships).toHaveLength(1)
			expect(organisation.memberships[0]).toMatchObject({ userId: user.id, role: 'ADMIN', deactivatedAt: null })
			expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'organisation.created', actorId: user.id } })).toBe(1)
		}
		const layout = await loadOrganisation(`${slugify(name)}-2`, cookie)
		expect(layout.role).toBe('ADMIN')
	})
})
