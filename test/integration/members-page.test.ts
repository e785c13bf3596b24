import { beforeAll, describe, expect, test } from 'vitest'
import { MEMBERS_PAGE_SIZE } from '#app/modules/organisations/members.server.ts'
import { action as membersAction, loader as membersLoader } from '#app/routes/org.$slug.members.tsx'
import { action as requirementsAction, loader as requirementsLoader } from '#app/routes/org.$slug.requirements.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { complianceFixtures } from '#tests/fixtures/compliance.ts'
import {
	addMember,
	createDepartment,
	createOrganisationWithAdmin,
	createSessionCookie,
	createUser,
	expectRedirect,
	expectThrownStatus,
	getRequest,
	postRequest,
	randomId,
	routeContext,
} from '#tests/fixtures/users.ts'

const { requirement, completion, daysFrom } = complianceFixtures(new Date())

const args = (request: Request, slug: string) => ({ request, params: { slug }, context: routeContext() })
const loadMembers = (slug: string, cookie: string, search = '') => membersLoader(args(getRequest(`/org/${slug}/members${search}`, { cookie }), slug))
const postMembers = (slug: string, cookie: string, fields: Record<string, string>, search = '') =>
	membersAction(args(postRequest(`/org/${slug}/members${search}`, fields, { cookie }), slug))
const namesOf = (list: Awaited<ReturnType<typeof loadMembers>>) => list.table.members.map((member) => member.name)

/**
 * An organisation of its admin (Ada Admin), Sales: Bea Brown (manager), Carl Clark, and a
 * deactivated Dora Dunn; Finance: Erin Evans. One requirement for everyone, due for all who just
 * joined and completed by Carl.
 */
async function organisationWithPeople(prefix: string) {
	const admin = await createUser({ prefix: `${prefix}-admin`, name: 'Ada Admin' })
	const { organisation } = await createOrganisationWithAdmin({ prefix, admin })
	const { cookie } = await createSessionCookie(admin.id)
	const sales = await createDepartment(organisation.id, 'Sales')
	const finance = await createDepartment(organisation.id, 'Finance')
	const person = async (name: string, options: Parameters<typeof addMember>[1]) =>
		addMember(organisation.id, { ...options, user: await createUser({ prefix, name, email: `${name.toLowerCase().replace(' ', '.')}-${randomId()}@${prefix}.example.test` }) })
	const bea = await person('Bea Brown', { role: 'MANAGER', departmentId: sales.id })
	const carl = await person('Carl Clark', { departmentId: sales.id })
	const dora = await person('Dora Dunn', { departmentId: sales.id, deactivated: true })
	const erin = await person('Erin Evans', { departmentId: finance.id })
	const everyone = await requirement(organisation.id, { createdAt: daysFrom(-200), dueWithinDays: 30 })
	await completion(carl.user.id, everyone.courseSlug, { completedAt: daysFrom(-10), expiresAt: daysFrom(355) })
	return { organisation, admin, cookie, sales, finance, bea, carl, dora, erin, everyone }
}

describe('searching and filtering the member list', () => {
	let people: Awaited<ReturnType<typeof organisationWithPeople>>
	beforeAll(async () => {
		people = await organisationWithPeople('filters')
	})
	const load = (search: string) => loadMembers(people.organisation.slug, people.cookie, search)

	test('shows the active members by name, each with their compliance status', async () => {
		const list = await load('')
		expect(namesOf(list)).toEqual(['Ada Admin', 'Bea Brown', 'Carl Clark', 'Erin Evans'])
		expect(list.table).toMatchObject({ total: 4, page: 1, pageCount: 1 })
		const carl = list.table.members.find((member) => member.name === 'Carl Clark')
		expect(carl).toMatchObject({ membershipId: people.carl.membership.id, role: 'LEARNER', departmentName: 'Sales', complianceStatus: 'COMPLIANT', deactivatedAt: null })
		expect(list.table.members.find((member) => member.name === 'Erin Evans')?.complianceStatus).toBe('DUE')
		// The browser gets the row's fields, not the database records.
		expect(Object.keys(carl!).sort()).toEqual(
			['complianceStatus', 'deactivatedAt', 'departmentId', 'departmentName', 'email', 'managedDepartmentIds', 'membershipId', 'name', 'role'].sort(),
		)
	})

	test('searches name or email case-insensitively, with LIKE wildcards taken literally', async () => {
		expect(namesOf(await load('?q=cLaRk'))).toEqual(['Carl Clark'])
		expect(namesOf(await load(`?q=${encodeURIComponent('ERIN.EVANS-')}`))).toEqual(['Erin Evans'])
		expect(namesOf(await load('?q=%25'))).toEqual([])
		expect(namesOf(await load('?q=_'))).toEqual([])
	})

	test('filters by role, department, status and compliance, combined', async () => {
		expect(namesOf(await load('?role=MANAGER'))).toEqual(['Bea Brown'])
		expect(namesOf(await load(`?department=${people.sales.id}`))).toEqual(['Bea Brown', 'Carl Clark'])
		expect(namesOf(await load(`?department=${people.sales.id}&status=all`))).toEqual(['Bea Brown', 'Carl Clark', 'Dora Dunn'])
		const deactivated = await load('?status=deactivated')
		expect(namesOf(deactivated)).toEqual(['Dora Dunn'])
		expect(deactivated.table.members[0]?.complianceStatus).toBeNull()
		expect(namesOf(await load('?compliance=DUE'))).toEqual(['Ada Admin', 'Bea Brown', 'Erin Evans'])
		expect(namesOf(await load(`?compliance=DUE&department=${people.sales.id}&role=LEARNER`))).toEqual([])
		// Empty fields, as the filter form sends them, mean "any".
		expect(namesOf(await load('?q=&role=&department=&status=&compliance='))).toHaveLength(4)
	})

	test('a hand-edited query that makes no sense answers 400 and says why', async () => {
		for (const [search, message] of [
			['?role=OWNER', 'Filter by learner, manager or admin'],
			['?status=gone', 'Filter by active or deactivated members'],
			['?compliance=LATE', 'Filter by overdue, due, expiring or compliant'],
			['?page=0', 'Pages start at 1'],
			['?department=..%2F', 'That item does not exist'],
		] as const) {
			expect((await expectThrownStatus(load(search), 400)).data.message).toBe(message)
		}
	})
})

describe('pages', () => {
	test(`${MEMBERS_PAGE_SIZE} members a page, by name, with the count; a page past the last shows the last`, async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'pages' })
		const { cookie } = await createSessionCookie(admin.id)
		const users = Array.from({ length: 120 }, (_, index) => ({
			name: `Paged ${String(index).padStart(3, '0')}`,
			email: `paged-${index}-${randomId()}@pages.example.test`,
			passwordHash: 'not-a-password',
		}))
		await prisma.user.createMany({ data: users })
		const created = await prisma.user.findMany({ where: { email: { in: users.map((user) => user.email) } }, select: { id: true } })
		await prisma.membership.createMany({ data: created.map((user) => ({ organisationId: organisation.id, userId: user.id })) })

		const first = await loadMembers(organisation.slug, cookie, '?q=paged')
		expect(first.table).toMatchObject({ total: 120, page: 1, pageCount: 3 })
		expect(namesOf(first)).toHaveLength(MEMBERS_PAGE_SIZE)
		expect(namesOf(first)[0]).toBe('Paged 000')
		const third = await loadMembers(organisation.slug, cookie, '?q=paged&page=3')
		expect(namesOf(third)).toEqual(users.slice(100).map((user) => user.name))
		const stale = await loadMembers(organisation.slug, cookie, '?q=paged&page=9')
		expect(stale.table).toMatchObject({ page: 3, total: 120 })
		expect(namesOf(stale)).toEqual(namesOf(third))
		expect((await loadMembers(organisation.slug, cookie, '?q=nobody-here')).table).toMatchObject({ total: 0, members: [], page: 1, pageCount: 1 })
	})
})

describe('tenant isolation', () => {
	test('another organisation’s members, departments and confirmation steps stay out of reach', async () => {
		const ours = await organisationWithPeople('ours')
		const theirs = await organisationWithPeople('theirs')
		const list = await loadMembers(ours.organisation.slug, ours.cookie, '?status=all')
		expect(list.table.members.map((member) => member.membershipId)).not.toContain(theirs.carl.membership.id)
		expect(list.departments.map((department) => department.id).sort()).toEqual([ours.sales.id, ours.finance.id].sort())
		// Their department as a filter matches nobody here; their member's confirmation step is 404.
		expect((await loadMembers(ours.organisation.slug, ours.cookie, `?department=${theirs.sales.id}`)).table.total).toBe(0)
		await expectThrownStatus(loadMembers(ours.organisation.slug, ours.cookie, `?deactivate=${theirs.carl.membership.id}`), 404)
		await expectThrownStatus(postMembers(ours.organisation.slug, ours.cookie, { intent: 'set-active', membershipId: theirs.carl.membership.id, active: 'false', confirmed: 'yes' }), 404)
		expect((await prisma.membership.findUniqueOrThrow({ where: { id: theirs.carl.membership.id } })).deactivatedAt).toBeNull()
	})

	test('a manager limited to a department lists only its members and gets no deactivation step', async () => {
		const people = await organisationWithPeople('limited')
		await prisma.managerDepartment.create({ data: { membershipId: people.bea.membership.id, departmentId: people.sales.id } })
		const { cookie } = await createSessionCookie(people.bea.user.id)
		const list = await loadMembers(people.organisation.slug, cookie, '?status=all')
		expect(namesOf(list)).toEqual(['Bea Brown', 'Carl Clark', 'Dora Dunn'])
		expect(list.departments.map((department) => department.name)).toEqual(['Sales'])
		expect(list.isAdmin).toBe(false)
		expect((await loadMembers(people.organisation.slug, cookie, `?department=${people.finance.id}`)).table.total).toBe(0)
		expect((await loadMembers(people.organisation.slug, cookie, `?deactivate=${people.carl.membership.id}`)).confirmDeactivation).toBeNull()
	})
})

describe('deactivating asks first', () => {
	test('a deactivation without the confirmation changes nothing and leads to the step', async () => {
		const { organisation, cookie, carl } = await organisationWithPeople('unconfirmed')
		const search = '?q=carl&page=1'
		for (const confirmation of [{}, { confirmed: '' }] as Record<string, string>[]) {
			const response = expectRedirect(await postMembers(organisation.slug, cookie, { intent: 'set-active', membershipId: carl.membership.id, active: 'false', ...confirmation }, search))
			expect(response.headers.get('Location')).toBe(`/org/${organisation.slug}/members?q=carl&page=1&deactivate=${carl.membership.id}#confirm-step`)
		}
		expect((await prisma.membership.findUniqueOrThrow({ where: { id: carl.membership.id } })).deactivatedAt).toBeNull()
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'member.deactivated' } })).toBe(0)
	})

	test('the step names the member; confirming deactivates them and returns to the same list', async () => {
		const { organisation, cookie, carl, admin } = await organisationWithPeople('confirmed')
		const step = await loadMembers(organisation.slug, cookie, `?q=carl&deactivate=${carl.membership.id}`)
		expect(step.confirmDeactivation).toEqual({ membershipId: carl.membership.id, name: 'Carl Clark', email: carl.user.email, active: true })

		const response = expectRedirect(
			await postMembers(organisation.slug, cookie, { intent: 'set-active', membershipId: carl.membership.id, active: 'false', confirmed: 'yes' }, `?q=carl&deactivate=${carl.membership.id}`),
		)
		expect(response.headers.get('Location')).toBe(`/org/${organisation.slug}/members?q=carl`)
		expect((await prisma.membership.findUniqueOrThrow({ where: { id: carl.membership.id } })).deactivatedAt).toBeInstanceOf(Date)
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'member.deactivated', actorId: admin.id } })).toBe(1)
		// An already deactivated member has no step; reactivating needs no confirmation.
		expect((await loadMembers(organisation.slug, cookie, `?deactivate=${carl.membership.id}`)).confirmDeactivation).toBeNull()
		expectRedirect(await postMembers(organisation.slug, cookie, { intent: 'set-active', membershipId: carl.membership.id, active: 'true' }))
		expect((await prisma.membership.findUniqueOrThrow({ where: { id: carl.membership.id } })).deactivatedAt).toBeNull()
	})

	test('an altered confirmation is refused', async () => {
		const { organisation, cookie, carl } = await organisationWithPeople('altered')
		await expectThrownStatus(postMembers(organisation.slug, cookie, { intent: 'set-active', membershipId: carl.membership.id, active: 'false', confirmed: 'no' }), 400)
		expect((await prisma.membership.findUniqueOrThrow({ where: { id: carl.membership.id } })).deactivatedAt).toBeNull()
	})
})

describe('removing a requirement asks first', () => {
	const loadRequirements = (slug: string, cookie: string, search = '') => requirementsLoader(args(getRequest(`/org/${slug}/requirements${search}`, { cookie }), slug))
	const postRequirements = (slug: string, cookie: string, fields: Record<string, string>) => requirementsAction(args(postRequest(`/org/${slug}/requirements`, fields, { cookie }), slug))

	test('without the confirmation nothing is removed and the step names the requirement; confirmed, it is removed', async () => {
		const { organisation, cookie, everyone } = await organisationWithPeople('remove')
		const response = expectRedirect(await postRequirements(organisation.slug, cookie, { intent: 'remove', requirementId: everyone.id }))
		expect(response.headers.get('Location')).toBe(`/org/${organisation.slug}/requirements?remove=${everyone.id}#confirm-step`)
		expect(await prisma.trainingRequirement.count({ where: { organisationId: organisation.id } })).toBe(1)

		const step = await loadRequirements(organisation.slug, cookie, `?remove=${everyone.id}`)
		expect(step.confirmRemoval).toEqual({ id: everyone.id, label: expect.any(String) })

		expectRedirect(await postRequirements(organisation.slug, cookie, { intent: 'remove', requirementId: everyone.id, confirmed: 'yes' }))
		expect(await prisma.trainingRequirement.count({ where: { organisationId: organisation.id } })).toBe(0)
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'requirement.removed' } })).toBe(1)
	})

	test('another organisation’s requirement has no confirmation step', async () => {
		const ours = await organisationWithPeople('remove-ours')
		const theirs = await organisationWithPeople('remove-theirs')
		await expectThrownStatus(loadRequirements(ours.organisation.slug, ours.cookie, `?remove=${theirs.everyone.id}`), 404)
	})
})
