import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest'
import { runDailyCompliance } from '#app/modules/compliance/daily-run.server.ts'
import { NothingToRemind, queueReminders } from '#app/modules/compliance/reminders.server.ts'
import { listOutbox, OUTBOX_PAGE_SIZE } from '#app/modules/mail/outbox.server.ts'
import { deliverDueMessages } from '#app/modules/mail/worker.server.ts'
import type { ManagerScope } from '#app/modules/organisations/manager-scope.server.ts'
import { getCourseLibrary } from '#app/modules/courses/course-library.server.ts'
import { loader as dashboardLoader } from '#app/routes/org.$slug.compliance.tsx'
import { loader as memberLoader } from '#app/routes/org.$slug.compliance_.members.$membershipId.tsx'
import { loader as outboxLoader } from '#app/routes/org.$slug.outbox.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { formatDate } from '#app/utils/format-date.ts'
import { complianceFixtures } from '#tests/fixtures/compliance.ts'
import { startSmtpSink } from '#tests/fixtures/smtp.ts'
import { FREE_COURSE, MEMBERS_COURSE } from '#tests/fixtures/learning.ts'
import { addMember, createDepartment, createOrganisationWithAdmin, createSessionCookie, expectThrownStatus, getRequest, routeContext } from '#tests/fixtures/users.ts'

// Days of their own, far from the other suites' dates: the digest runs for every organisation in
// the database, and on a PostgreSQL server the other suites' organisations are there too.
const AT = new Date('2030-02-10T10:00:00.000Z')
const DIGEST_AT = new Date('2031-03-10T06:00:00.000Z')
const ORIGIN = 'https://training.example.test'
const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

const { daysFrom, member, requirement, completion } = complianceFixtures(AT)
const isoDay = (date: Date) => date.toISOString().slice(0, 10)

/**
 * An organisation requiring the free course of its learners within 30 days (its admin, not a
 * learner, owes nothing), and a member who joined `joinedDaysAgo` days before `at`: due 30 days
 * after joining.
 */
async function organisationWithRequirement(prefix: string) {
	const { organisation, admin } = await createOrganisationWithAdmin({ prefix })
	await requirement(organisation.id, { courseSlug: FREE_COURSE, audience: 'ROLES', roles: ['LEARNER'], dueWithinDays: 30, createdAt: daysFrom(-2000) })
	const scope: ManagerScope = { organisationId: organisation.id, departmentIds: null }
	const joined = (joinedDaysAgo: number, options: { at?: Date; departmentId?: string | null; deactivated?: boolean } = {}) =>
		member(organisation.id, { joinedAt: new Date((options.at ?? AT).getTime() - joinedDaysAgo * DAY), departmentId: options.departmentId ?? null, deactivated: options.deactivated })
	return { organisation, admin, scope, joined }
}

const outboxOf = (organisationId: string) =>
	prisma.outboxMessage.findMany({
		where: { organisationId },
		orderBy: [{ sentOn: 'asc' }, { to: 'asc' }],
		select: { id: true, kind: true, membershipId: true, to: true, subject: true, text: true, sentOn: true, createdById: true, deliveredAt: true, deliveryError: true },
	})

const reminderAudit = (organisationId: string) =>
	prisma.auditEvent.findMany({
		where: { organisationId, action: 'compliance.reminders_queued' },
		orderBy: { createdAt: 'asc' },
		select: { actorId: true, targetUserId: true, details: true },
	})

// Mail is off unless a test turns it on; the environment is read once, so tests set the parsed value.
const smtpUrlBefore = getEnv().SMTP_URL
beforeEach(() => {
	getEnv().SMTP_URL = undefined
})
afterAll(() => {
	getEnv().SMTP_URL = smtpUrlBefore
})

const freeCourseTitle = async () => (await getCourseLibrary()).bySlug.get(FREE_COURSE)!.variants.en.title

describe('reminding everyone due or overdue', () => {
	test('writes one message to each due or overdue member and none to the compliant or deactivated, audit-logged', async () => {
		const { organisation, admin, scope, joined } = await organisationWithRequirement('remind-all')
		const overdue = await joined(40)
		const dueSoon = await joined(25)
		const dueLater = await joined(10)
		const compliant = await joined(400)
		await completion(compliant.id, FREE_COURSE, { completedAt: daysFrom(-5), expiresAt: daysFrom(360) })
		await joined(40, { deactivated: true })

		expect(await queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at: AT })).toEqual({ queued: 3, alreadyRemindedToday: 0 })

		const messages = await outboxOf(organisation.id)
		expect(messages.map((message) => message.membershipId).sort()).toEqual([overdue.membershipId, dueSoon.membershipId, dueLater.membershipId].sort())
		for (const message of messages) {
			expect(message).toMatchObject({ kind: 'REMINDER', sentOn: new Date(isoDay(AT)), createdById: admin.id, deliveredAt: null, deliveryError: null })
		}
		const toOverdue = messages.find((message) => message.membershipId === overdue.membershipId)!
		expect(toOverdue.to).toBe(overdue.email)
		expect(toOverdue.subject).toBe(`Reminder from ${organisation.name}: security training overdue`)
		expect(toOverdue.text).toContain(`Hello ${overdue.name},`)
		expect(toOverdue.text).toContain(`- ${await freeCourseTitle()} (Overdue): due ${formatDate(daysFrom(-10))}`)
		expect(toOverdue.text).toContain(`${ORIGIN}/dashboard`)
		const toDueSoon = messages.find((message) => message.membershipId === dueSoon.membershipId)!
		expect(toDueSoon.subject).toBe(`Reminder from ${organisation.name}: security training due`)
		expect(toDueSoon.text).toContain(`(Due): due ${formatDate(daysFrom(5))}`)

		expect(await reminderAudit(organisation.id)).toEqual([{ actorId: admin.id, targetUserId: null, details: { queued: 3, alreadyRemindedToday: 0 } }])
	})

	test('lists every outstanding requirement of the member, overdue first', async () => {
		const { organisation, admin, scope, joined } = await organisationWithRequirement('remind-two')
		await requirement(organisation.id, { courseSlug: MEMBERS_COURSE, audience: 'ROLES', roles: ['LEARNER'], dueWithinDays: 10, createdAt: daysFrom(-2000) })
		const learner = await joined(20)
		expect(await queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at: AT })).toEqual({ queued: 1, alreadyRemindedToday: 0 })
		const { bySlug } = await getCourseLibrary()
		const [message] = (await outboxOf(organisation.id)).filter((row) => row.membershipId === learner.membershipId)
		expect(message?.text.split('\n').filter((line) => line.startsWith('- '))).toEqual([
			`- ${bySlug.get(MEMBERS_COURSE)!.variants.en.title} (Overdue): due ${formatDate(daysFrom(-10))}`,
			`- ${bySlug.get(FREE_COURSE)!.variants.en.title} (Due): due ${formatDate(daysFrom(10))}`,
		])
	})

	test('at most once a member per UTC day: a second click writes nothing, the next day they hear again', async () => {
		const { organisation, admin, scope, joined } = await organisationWithRequirement('remind-daily')
		await joined(40)
		await joined(25)
		expect(await queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at: AT })).toEqual({ queued: 2, alreadyRemindedToday: 0 })
		const laterThatDay = new Date(`${isoDay(AT)}T23:59:59.000Z`)
		expect(await queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at: laterThatDay })).toEqual({ queued: 0, alreadyRemindedToday: 2 })
		expect(await outboxOf(organisation.id)).toHaveLength(2)

		const nextDay = new Date(`${isoDay(daysFrom(1))}T00:00:00.000Z`)
		expect(await queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at: nextDay })).toEqual({ queued: 2, alreadyRemindedToday: 0 })
		const messages = await outboxOf(organisation.id)
		expect(messages.map((message) => isoDay(message.sentOn))).toEqual([isoDay(AT), isoDay(AT), isoDay(nextDay), isoDay(nextDay)])
		expect((await reminderAudit(organisation.id)).map((event) => event.details)).toEqual([
			{ queued: 2, alreadyRemindedToday: 0 },
			{ queued: 0, alreadyRemindedToday: 2 },
			{ queued: 2, alreadyRemindedToday: 0 },
		])
	})

	test('two managers clicking at once remind each member once', async () => {
		const { organisation, admin, scope, joined } = await organisationWithRequirement('remind-race')
		const manager = await addMember(organisation.id, { role: 'MANAGER' })
		for (const days of [40, 35, 31]) await joined(days)
		const results = await Promise.all([
			queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at: AT }),
			queueReminders({ scope, actorId: manager.user.id, origin: ORIGIN, at: AT }),
		])
		expect(results.reduce((sum, result) => sum + result.queued, 0)).toBe(3)
		expect(results.reduce((sum, result) => sum + result.alreadyRemindedToday, 0)).toBe(3)
		expect(await outboxOf(organisation.id)).toHaveLength(3)
	})

	test('a manager limited to departments reminds only the members of those departments', async () => {
		const { organisation, admin, joined } = await organisationWithRequirement('remind-scope')
		const sales = await createDepartment(organisation.id, 'Sales')
		const operations = await createDepartment(organisation.id, 'Operations')
		const inSales = await joined(40, { departmentId: sales.id })
		const inOperations = await joined(40, { departmentId: operations.id })
		await joined(40)
		const scope: ManagerScope = { organisationId: organisation.id, departmentIds: [sales.id] }
		expect(await queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at: AT })).toEqual({ queued: 1, alreadyRemindedToday: 0 })
		expect((await outboxOf(organisation.id)).map((message) => message.membershipId)).toEqual([inSales.membershipId])
		const refused = await expectThrownStatus(queueReminders({ scope, actorId: admin.id, membershipId: inOperations.membershipId, origin: ORIGIN, at: AT }), 404)
		expect(refused.data.message).toBe('We could not find that member among those you can see.')
		expect(await outboxOf(organisation.id)).toHaveLength(1)
	})
})

describe('reminding one member', () => {
	test('reminds that member only, once a day, with them in the audit log', async () => {
		const { organisation, admin, scope, joined } = await organisationWithRequirement('remind-one')
		const learner = await joined(40)
		const other = await joined(40)
		expect(await queueReminders({ scope, actorId: admin.id, membershipId: learner.membershipId, origin: ORIGIN, at: AT })).toEqual({ queued: 1, alreadyRemindedToday: 0 })
		expect(await queueReminders({ scope, actorId: admin.id, membershipId: learner.membershipId, origin: ORIGIN, at: AT })).toEqual({ queued: 0, alreadyRemindedToday: 1 })
		expect(await queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at: AT })).toEqual({ queued: 1, alreadyRemindedToday: 1 })
		expect((await outboxOf(organisation.id)).map((message) => message.membershipId).sort()).toEqual([learner.membershipId, other.membershipId].sort())
		expect((await reminderAudit(organisation.id))[0]).toEqual({ actorId: admin.id, targetUserId: learner.id, details: { queued: 1, alreadyRemindedToday: 0 } })
	})

	test('a compliant member is refused with a reason, another organisation’s or a deactivated member 404; nothing is written', async () => {
		const { organisation, admin, scope, joined } = await organisationWithRequirement('remind-refused')
		const compliant = await joined(400)
		await completion(compliant.id, FREE_COURSE, { completedAt: daysFrom(-5), expiresAt: daysFrom(360) })
		const deactivated = await joined(40, { deactivated: true })
		const other = await organisationWithRequirement('remind-foreign')
		const foreign = await other.joined(40)

		await expect(queueReminders({ scope, actorId: admin.id, membershipId: compliant.membershipId, origin: ORIGIN, at: AT })).rejects.toThrow(
			new NothingToRemind(`${compliant.name} has no training due or overdue, so there is nothing to remind them of.`),
		)
		for (const membershipId of [foreign.membershipId, deactivated.membershipId, 'no-such-member']) {
			await expectThrownStatus(queueReminders({ scope, actorId: admin.id, membershipId, origin: ORIGIN, at: AT }), 404)
		}
		expect(await outboxOf(organisation.id)).toEqual([])
		expect(await outboxOf(other.organisation.id)).toEqual([])
		expect(await reminderAudit(organisation.id)).toEqual([])
	})
})

describe('delivery', () => {
	let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined
	afterEach(async () => {
		await sink?.stop()
		sink = undefined
	})

	test('without SMTP every message waits in the outbox, undelivered and without an error, and the worker leaves it', async () => {
		// Its own day, earlier than any other suite's messages: the worker's pass also discards every out-of-date message.
		const at = new Date('2013-06-03T09:00:00.000Z')
		const { organisation, admin, scope, joined } = await organisationWithRequirement('remind-no-smtp')
		await joined(40, { at })
		await joined(31, { at })
		await queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at })
		await deliverDueMessages(at)
		expect((await outboxOf(organisation.id)).map(({ deliveredAt, deliveryError }) => ({ deliveredAt, deliveryError }))).toEqual([
			{ deliveredAt: null, deliveryError: null },
			{ deliveredAt: null, deliveryError: null },
		])
		expect((await listOutbox(organisation.id, 1, false)).messages.map((message) => message.state)).toEqual(['waiting', 'waiting'])
	})

	test('with SMTP nothing is sent in the request; the worker emails each message, a refused one records why and the others still go', async () => {
		sink = await startSmtpSink({ refuse: (address) => address.startsWith('refused') })
		const { received } = sink

		// Its own day, earlier than any other suite's messages: the worker takes every message due by then.
		const at = new Date('2019-06-03T09:00:00.000Z')
		const { organisation, admin, scope, joined } = await organisationWithRequirement('remind-smtp')
		const first = await joined(40, { at })
		const second = await joined(35, { at })
		const refusedUser = await joined(33, { at })
		await prisma.user.update({ where: { id: refusedUser.id }, data: { email: `refused-${refusedUser.email}` }, select: { id: true } })

		expect(await queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at })).toEqual({ queued: 3, alreadyRemindedToday: 0 })
		expect(received).toEqual([])
		expect(await deliverDueMessages(at)).toMatchObject({ delivered: 2, retrying: 1, failed: 0 })
		expect(received.flatMap((message) => message.to).sort()).toEqual([first.email, second.email].sort())
		expect(received[0]?.body).toContain(`${ORIGIN}/dashboard`)
		const messages = await outboxOf(organisation.id)
		const delivered = messages.filter((message) => message.deliveredAt)
		expect(delivered.map((message) => message.to).sort()).toEqual([first.email, second.email].sort())
		expect(delivered.every((message) => message.deliveryError === null)).toBe(true)
		const refused = messages.find((message) => message.to === `refused-${refusedUser.email}`)
		expect(refused?.deliveredAt).toBeNull()
		expect(refused?.deliveryError).toMatch(/Mailbox unavailable/)
		expect(refused?.deliveryError).not.toContain('\n')
		const report = await listOutbox(organisation.id, 1, true)
		expect(report.messages.map((message) => message.state).sort()).toEqual(['delivered', 'delivered', 'retrying'])
	})
})

describe('what managers see of their reminders', () => {
	test('the dashboard counts the manager’s own reminders by delivery state; the member page lists the member’s', async () => {
		const { organisation, admin, scope, joined } = await organisationWithRequirement('remind-report')
		const learner = await joined(40, { at: new Date() })
		const other = await joined(40, { at: new Date() })
		const manager = await addMember(organisation.id, { role: 'MANAGER' })
		await queueReminders({ scope, actorId: admin.id, membershipId: learner.membershipId, origin: ORIGIN })
		await queueReminders({ scope, actorId: manager.user.id, membershipId: other.membershipId, origin: ORIGIN })
		await prisma.outboxMessage.updateMany({ where: { membershipId: learner.membershipId }, data: { attempts: 5, failedAt: new Date(), nextAttemptAt: null, deliveryError: 'Mailbox unavailable' } })

		const { cookie } = await createSessionCookie(admin.id)
		const context = routeContext()
		const dashboard = await dashboardLoader({ request: getRequest(`/org/${organisation.slug}/compliance`, { cookie }), params: { slug: organisation.slug }, context })
		expect(dashboard.reminders).toMatchObject({ days: 7, total: 1, counts: { failed: 1, waiting: 0 } })

		const page = await memberLoader({
			request: getRequest(`/org/${organisation.slug}/compliance/members/${learner.membershipId}`, { cookie }),
			params: { slug: organisation.slug, membershipId: learner.membershipId },
			context,
		})
		expect(page.reminders).toEqual([expect.objectContaining({ kind: 'REMINDER', state: 'failed', deliveryError: 'Mailbox unavailable', deliveredAt: null })])
		const managerView = await dashboardLoader({
			request: getRequest(`/org/${organisation.slug}/compliance`, { cookie: (await createSessionCookie(manager.user.id)).cookie }),
			params: { slug: organisation.slug },
			context,
		})
		expect(managerView.reminders).toMatchObject({ total: 1, counts: { waiting: 1, failed: 0 } })
	})
})

describe('the daily digest', () => {
	test('goes to members overdue or due within 7 days, not to those due later; a second run the same day writes nothing', async () => {
		const { organisation, admin, scope, joined } = await organisationWithRequirement('digest')
		const at = { at: DIGEST_AT }
		const overdue = await joined(40, at)
		const dueInSeven = await joined(23, at)
		await joined(22, at) // due in 8 days
		await joined(10, at) // due in 20 days
		const compliant = await joined(400, at)
		await completion(compliant.id, FREE_COURSE, { completedAt: new Date(DIGEST_AT.getTime() - 5 * DAY), expiresAt: new Date(DIGEST_AT.getTime() + 360 * DAY) })
		const remindedByManager = await joined(29, at)
		await queueReminders({ scope, actorId: admin.id, membershipId: remindedByManager.membershipId, origin: ORIGIN, at: new Date(DIGEST_AT.getTime() - HOUR) })

		const first = await runDailyCompliance({ origin: ORIGIN, at: DIGEST_AT })
		expect(first.failedOrganisations).toBe(0)
		expect(first.queued).toBeGreaterThanOrEqual(3)
		const afterFirst = await outboxOf(organisation.id)
		// A manager's reminder earlier that day does not take the digest's place: the kinds count apart.
		expect(afterFirst.filter((message) => message.kind === 'DIGEST').map((message) => message.membershipId).sort()).toEqual(
			[overdue.membershipId, dueInSeven.membershipId, remindedByManager.membershipId].sort(),
		)
		expect(afterFirst.filter((message) => message.kind === 'REMINDER').map((message) => message.membershipId)).toEqual([remindedByManager.membershipId])
		const digest = afterFirst.find((message) => message.membershipId === dueInSeven.membershipId)!
		expect(digest).toMatchObject({ sentOn: new Date(isoDay(DIGEST_AT)), createdById: null, deliveredAt: null, subject: `${organisation.name}: your security training is due soon` })
		expect(digest.text).toContain(`(Due): due ${formatDate(new Date(DIGEST_AT.getTime() + 7 * DAY))}`)

		// Today's snapshot for the trend: the admin (no requirement) and the compliant member, one overdue, four due.
		const snapshot = await prisma.complianceSnapshot.findUnique({
			where: { organisationId_day: { organisationId: organisation.id, day: new Date(isoDay(DIGEST_AT)) } },
			select: { byDepartment: true },
		})
		expect(snapshot?.byDepartment).toEqual({ '': { OVERDUE: 1, DUE: 4, EXPIRING: 0, COMPLIANT: 2 } })

		const dayFilter = { sentOn: new Date(isoDay(DIGEST_AT)) }
		const before = await prisma.outboxMessage.count({ where: dayFilter })
		const second = await runDailyCompliance({ origin: ORIGIN, at: new Date(DIGEST_AT.getTime() + 12 * HOUR) })
		expect(second.failedOrganisations).toBe(0)
		expect(second.alreadyRemindedToday).toBeGreaterThanOrEqual(3)
		// Elsewhere only new organisations (another suite's, on a shared server) can add messages.
		expect(await prisma.outboxMessage.count({ where: dayFilter })).toBe(before + second.queued)
		expect(await outboxOf(organisation.id)).toEqual(afterFirst)

		// The morning's digest leaves a manager's reminder free for the day.
		const later = new Date(DIGEST_AT.getTime() + 13 * HOUR)
		expect(await queueReminders({ scope, actorId: admin.id, membershipId: overdue.membershipId, origin: ORIGIN, at: later })).toEqual({ queued: 1, alreadyRemindedToday: 0 })
	})
})

describe('the outbox', () => {
	test('lists only the organisation’s messages, newest first, 50 a page, with the member while they exist', async () => {
		const { organisation, admin, scope, joined } = await organisationWithRequirement('outbox')
		const learner = await joined(40)
		const leaving = await joined(40)
		const other = await organisationWithRequirement('outbox-other')
		await other.joined(40)
		await queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at: AT })
		await queueReminders({ scope: other.scope, actorId: other.admin.id, origin: ORIGIN, at: AT })
		await prisma.membership.delete({ where: { id: leaving.membershipId }, select: { id: true } })

		const { messages, total, pageCount } = await listOutbox(organisation.id, 1, false)
		expect(total).toBe(2)
		expect(pageCount).toBe(1)
		expect(messages.map((message) => message.to).sort()).toEqual([learner.email, leaving.email].sort())
		expect(messages.find((message) => message.to === learner.email)?.member).toEqual({ name: learner.name, email: learner.email })
		expect(messages.find((message) => message.to === leaving.email)?.member).toBeNull()

		// Written a month before the reminders above (which carry the real time they were written).
		const older = new Date(Date.now() - 30 * DAY)
		await prisma.outboxMessage.createMany({
			data: Array.from({ length: OUTBOX_PAGE_SIZE }, (_, index) => ({
				organisationId: organisation.id,
				kind: 'DIGEST' as const,
				to: `old-${index}@example.test`,
				subject: 'Old',
				text: 'Old',
				sentOn: older,
				createdAt: new Date(older.getTime() + index * 1000),
				discardAfter: new Date(older.getTime() + DAY),
			})),
		})
		const firstPage = await listOutbox(organisation.id, 1, false)
		expect(firstPage.total).toBe(OUTBOX_PAGE_SIZE + 2)
		expect(firstPage.pageCount).toBe(2)
		expect(firstPage.messages).toHaveLength(OUTBOX_PAGE_SIZE)
		expect(firstPage.messages.slice(0, 2).map((message) => message.subject)).toEqual([
			`Reminder from ${organisation.name}: security training overdue`,
			`Reminder from ${organisation.name}: security training overdue`,
		])
		expect(firstPage.messages[2]?.to).toBe(`old-${OUTBOX_PAGE_SIZE - 1}@example.test`)
		expect((await listOutbox(organisation.id, 2, false)).messages.map((message) => message.to)).toEqual(['old-1@example.test', 'old-0@example.test'])
		expect((await listOutbox(other.organisation.id, 1, false)).total).toBe(1)
	})

	test('the page is for admins: a manager gets 403, someone from another organisation 404, a bad page 400', async () => {
		const { organisation, admin, scope, joined } = await organisationWithRequirement('outbox-page')
		await joined(40)
		await queueReminders({ scope, actorId: admin.id, origin: ORIGIN, at: AT })
		const load = (cookie: string, search = '') =>
			outboxLoader({ request: getRequest(`/org/${organisation.slug}/outbox${search}`, { cookie }), params: { slug: organisation.slug }, context: routeContext() })
		const { cookie } = await createSessionCookie(admin.id)
		const page = await load(cookie)
		expect(page).toMatchObject({ page: 1, pageCount: 1, total: 1, emailConfigured: false })
		expect(page.messages[0]?.kind).toBe('REMINDER')

		const bad = await expectThrownStatus(load(cookie, '?page=two'), 400)
		expect(bad.data.message).toBe('The page number must be a whole number from 1.')
		await expectThrownStatus(load(cookie, '?page=0'), 400)

		const manager = await addMember(organisation.id, { role: 'MANAGER' })
		await expectThrownStatus(load((await createSessionCookie(manager.user.id)).cookie), 403)
		const outsider = await createOrganisationWithAdmin({ prefix: 'outbox-outsider' })
		await expectThrownStatus(load((await createSessionCookie(outsider.admin.id)).cookie), 404)
	})
})
