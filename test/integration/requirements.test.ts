import { describe, expect, test } from 'vitest'
import { listRequirements, removeRequirement, setRequirementPaused } from '#app/modules/compliance/requirements.server.ts'
import { updateMember } from '#app/modules/organisations/members.server.ts'
import { loader as dashboardLoader } from '#app/routes/dashboard.tsx'
import { action as requirementsAction, loader as requirementsLoader } from '#app/routes/org.$slug.requirements.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { ALTERED_FORM_MESSAGE } from '#app/utils/form-submission.server.ts'
import { complianceFixtures, listMemberRequirements } from '#tests/fixtures/compliance.ts'
import { FREE_COURSE, formPost, MEMBERS_COURSE } from '#tests/fixtures/learning.ts'
import {
	addMember,
	createDepartment,
	createOrganisationWithAdmin,
	createSessionCookie,
	expectData,
	expectRedirect,
	expectThrownStatus,
	getRequest,
	randomId,
	routeContext,
} from '#tests/fixtures/users.ts'

const args = (request: Request, slug: string) => ({ request, params: { slug }, context: routeContext() })
const loadRequirements = (slug: string, cookie: string) => requirementsLoader(args(getRequest(`/org/${slug}/requirements`, { cookie }), slug))
const postRequirements = (slug: string, cookie: string, fields: [string, string][]) =>
	requirementsAction(args(formPost(`/org/${slug}/requirements`, fields, { cookie }), slug))

async function adminOf(prefix: string) {
	const { organisation, admin } = await createOrganisationWithAdmin({ prefix })
	const { cookie } = await createSessionCookie(admin.id)
	return { organisation, admin, cookie }
}

const requirementsOf = (organisationId: string) =>
	prisma.trainingRequirement.findMany({
		where: { organisationId },
		orderBy: { createdAt: 'asc' },
		select: { id: true, courseSlug: true, audience: true, roles: true, dueWithinDays: true, recurrenceMonths: true, pausedAt: true, departments: { select: { departmentId: true } } },
	})

const auditActions = async (organisationId: string) =>
	(await prisma.auditEvent.findMany({ where: { organisationId, action: { startsWith: 'requirement.' } }, orderBy: { createdAt: 'asc' }, select: { action: true } })).map(
		(event) => event.action,
	)

describe('the baseline', () => {
	test('requires every free module of everyone, within 30 days, every 12 months; applying it again adds nothing', async () => {
		const { organisation, cookie } = await adminOf('baseline')
		expectRedirect(await postRequirements(organisation.slug, cookie, [['intent', 'apply-baseline']]), `/org/${organisation.slug}/requirements`)
		const requirements = await requirementsOf(organisation.id)
		expect(requirements).toMatchObject([{ courseSlug: FREE_COURSE, audience: 'EVERYONE', dueWithinDays: 30, recurrenceMonths: 12, pausedAt: null }])
		expectRedirect(await postRequirements(organisation.slug, cookie, [['intent', 'apply-baseline']]))
		expect(await requirementsOf(organisation.id)).toHaveLength(1)
		expect(await auditActions(organisation.id)).toEqual(['requirement.baseline_applied'])
		const page = await loadRequirements(organisation.slug, cookie)
		expect(page.baselineCourses).toEqual([])
	})

	test('two admins applying it at once add each course once', async () => {
		const { organisation, cookie } = await adminOf('baseline-race')
		const second = await addMember(organisation.id, { role: 'ADMIN' })
		const { cookie: secondCookie } = await createSessionCookie(second.user.id)
		await Promise.all([
			postRequirements(organisation.slug, cookie, [['intent', 'apply-baseline']]),
			postRequirements(organisation.slug, secondCookie, [['intent', 'apply-baseline']]),
		])
		expect(await requirementsOf(organisation.id)).toHaveLength(1)
	})
})

describe('requiring a course', () => {
	test('for given departments, with its own recurrence, audit-logged', async () => {
		const { organisation, cookie } = await adminOf('require')
		const sales = await createDepartment(organisation.id, 'Sales')
		const result = await postRequirements(organisation.slug, cookie, [
			['intent', 'create'],
			['courseSlug', MEMBERS_COURSE],
			['audience', 'DEPARTMENTS'],
			['departmentIds', sales.id],
			['dueWithinDays', '14'],
			['recurrenceMonths', '24'],
		])
		expectRedirect(result, `/org/${organisation.slug}/requirements`)
		expect(await requirementsOf(organisation.id)).toMatchObject([
			{ courseSlug: MEMBERS_COURSE, audience: 'DEPARTMENTS', dueWithinDays: 14, recurrenceMonths: 24, departments: [{ departmentId: sales.id }] },
		])
		expect(await auditActions(organisation.id)).toEqual(['requirement.created'])
	})

	test.each([
		['no department ticked for a department requirement', [['audience', 'DEPARTMENTS']], 'departmentIds', 'Tick at least one department'],
		['no role ticked for a role requirement', [['audience', 'ROLES']], 'roles', 'Tick at least one role'],
		['a course that does not exist', [['courseSlug', 'no-such-course']], 'courseSlug', 'Choose a course from the list'],
		['days that are not a number', [['dueWithinDays', 'soon']], 'dueWithinDays', 'Enter the number of days as a whole number'],
		['more than a year to complete it', [['dueWithinDays', '400']], 'dueWithinDays', 'The number of days is at most 365'],
	] as const)('refuses %s with 400 and a message on the field', async (_name, overrides, field, message) => {
		const { organisation, cookie } = await adminOf('require-bad')
		const fields = new Map<string, string>([
			['intent', 'create'],
			['courseSlug', FREE_COURSE],
			['audience', 'EVERYONE'],
			['dueWithinDays', '30'],
		])
		for (const [key, value] of overrides) fields.set(key, value)
		const result = expectData(await postRequirements(organisation.slug, cookie, [...fields]), 400)
		expect(result.data.result.error[field]).toEqual([message])
		expect(await requirementsOf(organisation.id)).toEqual([])
	})

	test('a ticked role the page does not offer is an altered form: 400 with the page-level message', async () => {
		const { organisation, cookie } = await adminOf('require-role')
		const fields: [string, string][] = [['intent', 'create'], ['courseSlug', FREE_COURSE], ['audience', 'ROLES'], ['roles', 'OWNER'], ['dueWithinDays', '30']]
		const refused = await expectThrownStatus(postRequirements(organisation.slug, cookie, fields), 400)
		expect(refused.data).toEqual({ message: ALTERED_FORM_MESSAGE })
		expect(await requirementsOf(organisation.id)).toEqual([])
	})

	test("refuses another organisation's department with 400", async () => {
		const { organisation, cookie } = await adminOf('require-foreign')
		const other = await adminOf('require-other')
		const foreign = await createDepartment(other.organisation.id, 'Elsewhere')
		await expectThrownStatus(
			postRequirements(organisation.slug, cookie, [
				['intent', 'create'],
				['courseSlug', FREE_COURSE],
				['audience', 'DEPARTMENTS'],
				['departmentIds', foreign.id],
				['dueWithinDays', '30'],
			]),
			400,
		)
		expect(await requirementsOf(organisation.id)).toEqual([])
	})
})

describe('adjusting', () => {
	test('the baseline’s days and recurrence change in place, audit-logged, and deadlines follow', async () => {
		const { organisation, cookie, admin } = await adminOf('adjust')
		await postRequirements(organisation.slug, cookie, [['intent', 'apply-baseline']])
		const [requirement] = await requirementsOf(organisation.id)
		const dueOn = async () => (await prisma.memberRequirementState.findFirstOrThrow({ where: { requirementId: requirement!.id, userId: admin.id }, select: { dueOn: true } })).dueOn
		const before = await dueOn()
		const adjust = (fields: [string, string][]) => postRequirements(organisation.slug, cookie, [['intent', 'adjust'], ['requirementId', requirement!.id], ...fields])

		expectRedirect(await adjust([['dueWithinDays', '60'], ['recurrenceMonths', '']]))
		expectRedirect(await adjust([['dueWithinDays', '60'], ['recurrenceMonths', '']]))
		expect((await requirementsOf(organisation.id))[0]).toMatchObject({ dueWithinDays: 60, recurrenceMonths: null })
		expect((await dueOn()).getTime() - before.getTime()).toBe(30 * 24 * 60 * 60 * 1000)
		const events = await prisma.auditEvent.findMany({ where: { organisationId: organisation.id, action: 'requirement.adjusted' }, select: { details: true } })
		expect(events).toEqual([{ details: { from: '30 days, every 12 months', to: '60 days, renewed with the course’s validity' } }])

		const refused = expectData(await adjust([['dueWithinDays', '0'], ['recurrenceMonths', '12']]), 400)
		expect(refused.data.result.error.dueWithinDays).toEqual(['The number of days is at least 1'])
		const other = await adminOf('adjust-other')
		await expectThrownStatus(
			postRequirements(other.organisation.slug, other.cookie, [['intent', 'adjust'], ['requirementId', requirement!.id], ['dueWithinDays', '5']]),
			404,
		)
		expect((await requirementsOf(organisation.id))[0]).toMatchObject({ dueWithinDays: 60 })
	})
})

describe('pausing and removing', () => {
	test('pause, pause again, resume and remove: each change once in the audit log', async () => {
		const { organisation, cookie } = await adminOf('pause')
		await postRequirements(organisation.slug, cookie, [['intent', 'apply-baseline']])
		const [requirement] = await requirementsOf(organisation.id)
		const act = (intent: string) => postRequirements(organisation.slug, cookie, [['intent', intent], ['requirementId', requirement!.id]])
		expectRedirect(await act('pause'))
		expectRedirect(await act('pause'))
		expect((await requirementsOf(organisation.id))[0]?.pausedAt).toBeInstanceOf(Date)
		expectRedirect(await act('resume'))
		expect((await requirementsOf(organisation.id))[0]?.pausedAt).toBeNull()
		expectRedirect(await postRequirements(organisation.slug, cookie, [['intent', 'remove'], ['requirementId', requirement!.id], ['confirmed', 'yes']]))
		expect(await requirementsOf(organisation.id)).toEqual([])
		expect(await auditActions(organisation.id)).toEqual([
			'requirement.baseline_applied',
			'requirement.paused',
			'requirement.resumed',
			'requirement.removed',
		])
	})

	test("another organisation's requirement answers 404 and is left alone", async () => {
		const { organisation, cookie } = await adminOf('pause-own')
		const other = await adminOf('pause-foreign')
		await postRequirements(other.organisation.slug, other.cookie, [['intent', 'apply-baseline']])
		const [foreign] = await requirementsOf(other.organisation.id)
		await expectThrownStatus(postRequirements(organisation.slug, cookie, [['intent', 'remove'], ['requirementId', foreign!.id], ['confirmed', 'yes']]), 404)
		expect(await requirementsOf(other.organisation.id)).toHaveLength(1)
	})
})

describe('who may manage requirements', () => {
	test('a learner or manager of the organisation gets 403; someone from another organisation 404', async () => {
		const { organisation } = await adminOf('access')
		for (const role of ['LEARNER', 'MANAGER'] as const) {
			const { user } = await addMember(organisation.id, { role })
			const { cookie } = await createSessionCookie(user.id)
			await expectThrownStatus(loadRequirements(organisation.slug, cookie), 403)
			await expectThrownStatus(postRequirements(organisation.slug, cookie, [['intent', 'apply-baseline']]), 403)
		}
		const outsider = await adminOf('access-outsider')
		await expectThrownStatus(loadRequirements(organisation.slug, outsider.cookie), 404)
		await expectThrownStatus(postRequirements(organisation.slug, outsider.cookie, [['intent', 'apply-baseline']]), 404)
		expect(await requirementsOf(organisation.id)).toEqual([])
	})
})

describe("the learner's dashboard", () => {
	test('lists what their organisation requires of them with its status and due date, overdue first', async () => {
		const { organisation, cookie: adminCookie } = await adminOf('assigned')
		await postRequirements(organisation.slug, adminCookie, [['intent', 'apply-baseline']])
		await postRequirements(organisation.slug, adminCookie, [
			['intent', 'create'],
			['courseSlug', MEMBERS_COURSE],
			['audience', 'EVERYONE'],
			['dueWithinDays', '10'],
		])
		const { user, membership } = await addMember(organisation.id)
		// Joined 20 days ago: the 10-day course is overdue, the 30-day baseline still due.
		await prisma.membership.update({ where: { id: membership.id }, data: { joinedAt: new Date(Date.now() - 20 * 24 * 60 * 60 * 1000) }, select: { id: true } })
		await prisma.trainingRequirement.updateMany({ where: { organisationId: organisation.id }, data: { createdAt: new Date(Date.now() - 60 * 24 * 60 * 60 * 1000) } })
		const { cookie } = await createSessionCookie(user.id)
		const page = await dashboardLoader({ request: getRequest('/dashboard', { cookie }), params: {}, context: routeContext() })
		expect(page.assigned.map((row) => [row.courseSlug, row.status, row.organisation])).toEqual([
			[MEMBERS_COURSE, 'OVERDUE', organisation.name],
			[FREE_COURSE, 'DUE', organisation.name],
		])
	})
})

describe('moving a member', () => {
	test("into a required department starts that requirement's deadline on the day of the move", async () => {
		const { organisation, admin, cookie } = await adminOf('move')
		const sales = await createDepartment(organisation.id, 'Sales')
		await postRequirements(organisation.slug, cookie, [
			['intent', 'create'],
			['courseSlug', FREE_COURSE],
			['audience', 'DEPARTMENTS'],
			['departmentIds', sales.id],
			['dueWithinDays', '7'],
		])
		const { user, membership } = await addMember(organisation.id)
		const longAgo = new Date(Date.now() - 400 * 24 * 60 * 60 * 1000)
		await prisma.membership.update({ where: { id: membership.id }, data: { joinedAt: longAgo, departmentSince: longAgo, roleSince: longAgo }, select: { id: true } })
		await prisma.trainingRequirement.updateMany({ where: { organisationId: organisation.id }, data: { createdAt: longAgo } })
		expect(await listMemberRequirements(organisation.id, { userId: user.id })).toEqual([])
		const before = Date.now()
		await updateMember({ organisationId: organisation.id, actorId: admin.id, membershipId: membership.id, role: 'LEARNER', departmentId: sales.id })
		const [row] = await listMemberRequirements(organisation.id, { userId: user.id })
		expect(row?.appliesSince.getTime()).toBeGreaterThanOrEqual(before - 1000)
		expect(row?.status).toBe('DUE')
		const roleSince = (await prisma.membership.findUniqueOrThrow({ where: { id: membership.id }, select: { roleSince: true } })).roleSince
		expect(roleSince).toEqual(longAgo)
	})
})

describe('two requirements on one course', () => {
	test('the requirements page and the audit log tell them apart', async () => {
		const { organisation, admin } = await adminOf('req-twice')
		const sales = await createDepartment(organisation.id, 'Sales')
		const { requirement } = complianceFixtures(new Date())
		const courseSlug = `course-${randomId()}`
		await requirement(organisation.id, { courseSlug })
		const forSales = await requirement(organisation.id, { courseSlug, audience: 'DEPARTMENTS', departmentIds: [sales.id] })
		const sameAgain = await requirement(organisation.id, { courseSlug, audience: 'DEPARTMENTS', departmentIds: [sales.id], dueWithinDays: 7 })

		// Requirements made in the same millisecond list in either order; each label is what counts.
		expect((await listRequirements(organisation.id)).map((row) => row.label).sort()).toEqual([
			`${courseSlug} — Everyone`,
			`${courseSlug} — Sales (30 days, renewed with the course’s validity)`,
			`${courseSlug} — Sales (7 days, renewed with the course’s validity)`,
		])
		await setRequirementPaused({ organisationId: organisation.id, actorId: admin.id, requirementId: forSales.id, paused: true })
		await removeRequirement({ organisationId: organisation.id, actorId: admin.id, requirementId: sameAgain.id })
		const events = await prisma.auditEvent.findMany({
			where: { organisationId: organisation.id, action: { in: ['requirement.paused', 'requirement.removed'] } },
			orderBy: { createdAt: 'asc' },
			select: { action: true, targetLabel: true },
		})
		expect(events).toEqual([
			{ action: 'requirement.paused', targetLabel: `${courseSlug} — Sales (30 days, renewed with the course’s validity)` },
			{ action: 'requirement.removed', targetLabel: `${courseSlug} — Sales (7 days, renewed with the course’s validity)` },
		])
	})
})
