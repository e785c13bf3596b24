import { describe, expect, test } from 'vitest'
import { listAssignedTraining } from '#app/modules/compliance/member-requirements.server.ts'
import { certificateStatus } from '#app/modules/courses/completion.ts'
import { prisma } from '#app/utils/db.server.ts'
import { complianceFixtures, listMemberRequirements } from '#tests/fixtures/compliance.ts'
import { createDepartment, createOrganisationWithAdmin, createUser, randomId } from '#tests/fixtures/users.ts'

// The status rules live in SQL (bulwark_requirement_status and bulwark_member_requirements), so
// their boundaries are tested on the real database. Every date is relative to AT.
const AT = new Date('2027-06-15T12:00:00.000Z')
const { daysFrom: daysFromAt, requirement, member, completion } = complianceFixtures(AT)
const dateOnly = (date: Date) => date.toISOString().slice(0, 10)

async function statusOf(validUntil: Date | null, dueOn: string, at = AT) {
	const [row] = await prisma.$queryRaw<{ status: string }[]>`
		SELECT "bulwark_requirement_status"(${validUntil}::timestamp(3), ${dueOn}::date, ${at}::timestamp(3)) AS "status"`
	return row?.status
}

async function memberStatusOf(firstDueOn: string, firstExpiry: Date | null, at: Date) {
	const [row] = await prisma.$queryRaw<{ status: string }[]>`
		SELECT "bulwark_member_status"(1, ${firstDueOn}::date, ${firstExpiry}::timestamp(3), ${at}::timestamp(3)) AS "status"`
	return row?.status
}

// Statuses compare UTC calendar days (decision 017): each case is checked with the reading moment
// at the first and the last millisecond of today, and the expiry at the first and the last
// millisecond of its day, so no time of day can move a status.
const TODAY = '2027-06-15'
const FIRST_MOMENT = '00:00:00.000'
const LAST_MOMENT = '23:59:59.999'
const momentOn = (day: string, time: string) => new Date(`${day}T${time}Z`)
const dayFrom = (days: number) => dateOnly(new Date(Date.parse(`${TODAY}T00:00:00.000Z`) + days * 24 * 60 * 60 * 1000))
const everyMoment = [FIRST_MOMENT, LAST_MOMENT].flatMap((atTime) => [FIRST_MOMENT, LAST_MOMENT].map((expiryTime) => ({ atTime, expiryTime })))

describe('a status at its boundaries, at 00:00 and 23:59 UTC', () => {
	test.each([
		['valid until 31 days from today', 'COMPLIANT', 31, dayFrom(31)],
		['valid until exactly 30 days from today', 'EXPIRING', 30, dayFrom(30)],
		['valid until tomorrow', 'EXPIRING', 1, dayFrom(1)],
		['valid until today', 'EXPIRING', 0, dayFrom(0)],
		['expired yesterday, due by its expiry', 'OVERDUE', -1, dayFrom(-1)],
		['expired yesterday, their own deadline still to come', 'DUE', -1, dayFrom(5)],
		['expired yesterday, their own deadline today', 'DUE', -1, dayFrom(0)],
	] as const)('%s: %s', async (_name, expected, expiresInDays, dueOn) => {
		for (const { atTime, expiryTime } of everyMoment) {
			const at = momentOn(TODAY, atTime)
			const validUntil = momentOn(dayFrom(expiresInDays), expiryTime)
			expect(await statusOf(validUntil, dueOn, at), `at ${atTime}, expiring at ${expiryTime}`).toBe(expected)
		}
	})

	test.each([
		['never completed, due tomorrow', 'DUE', dayFrom(1)],
		['never completed, due today', 'DUE', dayFrom(0)],
		['never completed, due yesterday', 'OVERDUE', dayFrom(-1)],
	] as const)('%s: %s', async (_name, expected, dueOn) => {
		for (const atTime of [FIRST_MOMENT, LAST_MOMENT]) expect(await statusOf(null, dueOn, momentOn(TODAY, atTime)), `at ${atTime}`).toBe(expected)
	})

	test('completions that expire on the same day have the same status, whatever their time of day', async () => {
		for (const atTime of [FIRST_MOMENT, '12:00:00.000', LAST_MOMENT]) {
			const statuses = await Promise.all(
				[FIRST_MOMENT, '12:00:00.000', LAST_MOMENT].map((expiryTime) => statusOf(momentOn(dayFrom(30), expiryTime), dayFrom(30), momentOn(TODAY, atTime))),
			)
			expect(statuses, `at ${atTime}`).toEqual(['EXPIRING', 'EXPIRING', 'EXPIRING'])
		}
	})

	test('a status changes at midnight UTC: the last moment of a day and the first of the next', async () => {
		const validUntil = momentOn(dayFrom(30), '14:30:00.000')
		expect(await statusOf(validUntil, dayFrom(30), momentOn(dayFrom(-1), LAST_MOMENT))).toBe('COMPLIANT')
		expect(await statusOf(validUntil, dayFrom(30), momentOn(dayFrom(0), FIRST_MOMENT))).toBe('EXPIRING')
		expect(await statusOf(validUntil, dayFrom(30), momentOn(dayFrom(30), LAST_MOMENT))).toBe('EXPIRING')
		expect(await statusOf(validUntil, dayFrom(30), momentOn(dayFrom(31), FIRST_MOMENT))).toBe('OVERDUE')
	})

	test("a member's status as a whole follows the same days", async () => {
		for (const atTime of [FIRST_MOMENT, LAST_MOMENT]) {
			const at = momentOn(TODAY, atTime)
			expect(await memberStatusOf(dayFrom(31), momentOn(dayFrom(31), FIRST_MOMENT), at)).toBe('COMPLIANT')
			expect(await memberStatusOf(dayFrom(30), momentOn(dayFrom(30), LAST_MOMENT), at)).toBe('EXPIRING')
			expect(await memberStatusOf(dayFrom(0), momentOn(dayFrom(0), FIRST_MOMENT), at)).toBe('EXPIRING')
			expect(await memberStatusOf(dayFrom(0), momentOn(dayFrom(-1), LAST_MOMENT), at)).toBe('DUE')
			expect(await memberStatusOf(dayFrom(0), null, at)).toBe('DUE')
			expect(await memberStatusOf(dayFrom(-1), momentOn(dayFrom(-1), LAST_MOMENT), at)).toBe('OVERDUE')
		}
	})

	test('a certificate is valid exactly when the status counts its completion as valid', async () => {
		for (const expiresInDays of [31, 30, 1, 0, -1, -2]) {
			for (const { atTime, expiryTime } of everyMoment) {
				const at = momentOn(TODAY, atTime)
				const expiresAt = momentOn(dayFrom(expiresInDays), expiryTime)
				const status = await statusOf(expiresAt, dayFrom(-10), at)
				const valid = certificateStatus({ expiresAt, revokedAt: null }, at) === 'valid'
				expect(valid, `${expiresInDays} days, at ${atTime}, expiring at ${expiryTime}: ${status}`).toBe(status === 'COMPLIANT' || status === 'EXPIRING')
			}
		}
	})
})

async function organisation() {
	const { organisation } = await createOrganisationWithAdmin({ prefix: 'status' })
	return organisation
}

async function rowsOf(organisationId: string, userId: string) {
	return listMemberRequirements(organisationId, { at: AT, userId })
}

describe('when a requirement applies and what is due', () => {
	test('a due date is a calendar day: joining at 00:00 or at 23:59 gives the same one, met through its last moment, overdue from midnight', async () => {
		const org = await organisation()
		await requirement(org.id, { createdAt: daysFromAt(-400), dueWithinDays: 10 })
		const early = await member(org.id, { joinedAt: momentOn(dayFrom(-10), FIRST_MOMENT) })
		const late = await member(org.id, { joinedAt: momentOn(dayFrom(-10), LAST_MOMENT) })
		const statusAt = async (at: Date) =>
			(await listMemberRequirements(org.id, { at })).filter((row) => [early.id, late.id].includes(row.userId)).map((row) => [dateOnly(row.dueOn), row.status])
		expect(await statusAt(momentOn(TODAY, FIRST_MOMENT))).toEqual([[TODAY, 'DUE'], [TODAY, 'DUE']])
		expect(await statusAt(momentOn(TODAY, LAST_MOMENT))).toEqual([[TODAY, 'DUE'], [TODAY, 'DUE']])
		expect(await statusAt(momentOn(dayFrom(1), FIRST_MOMENT))).toEqual([[TODAY, 'OVERDUE'], [TODAY, 'OVERDUE']])
	})

	test('the stored state reads a completion valid until the last moment of exactly 30 days ahead as expiring, as the definition does', async () => {
		const org = await organisation()
		const { courseSlug } = await requirement(org.id)
		const user = await member(org.id)
		await completion(user.id, courseSlug, { completedAt: daysFromAt(-335), expiresAt: momentOn(dayFrom(30), LAST_MOMENT) })
		for (const at of [momentOn(TODAY, FIRST_MOMENT), momentOn(TODAY, LAST_MOMENT)]) {
			const [stored] = await listAssignedTraining(user.id, at)
			const [defined] = await listMemberRequirements(org.id, { at, userId: user.id })
			expect([stored!.status, defined!.status]).toEqual(['EXPIRING', 'EXPIRING'])
		}
		const [beforeTheWindow] = await listAssignedTraining(user.id, momentOn(dayFrom(-1), LAST_MOMENT))
		expect(beforeTheWindow!.status).toBe('COMPLIANT')
	})

	test('a member who joins after the requirement has dueWithinDays from joining', async () => {
		const org = await organisation()
		await requirement(org.id, { createdAt: daysFromAt(-100), dueWithinDays: 30 })
		const user = await member(org.id, { joinedAt: daysFromAt(-10) })
		const [row] = await rowsOf(org.id, user.id)
		expect(dateOnly(row!.dueOn)).toBe(dateOnly(daysFromAt(20)))
		expect(row!.status).toBe('DUE')
	})

	test('a requirement added after the member joined gives them dueWithinDays from its creation', async () => {
		const org = await organisation()
		const user = await member(org.id, { joinedAt: daysFromAt(-300) })
		await requirement(org.id, { createdAt: daysFromAt(-31), dueWithinDays: 30 })
		const [row] = await rowsOf(org.id, user.id)
		expect(dateOnly(row!.dueOn)).toBe(dateOnly(daysFromAt(-1)))
		expect(row!.status).toBe('OVERDUE')
	})

	test('a department requirement applies from the move into the department, and not to other departments', async () => {
		const org = await organisation()
		const sales = await createDepartment(org.id, 'Sales')
		const finance = await createDepartment(org.id, 'Finance')
		await requirement(org.id, { audience: 'DEPARTMENTS', departmentIds: [sales.id], dueWithinDays: 14 })
		const mover = await member(org.id, { joinedAt: daysFromAt(-300), departmentId: sales.id, departmentSince: daysFromAt(-7) })
		const other = await member(org.id, { departmentId: finance.id })
		const [row] = await rowsOf(org.id, mover.id)
		expect(dateOnly(row!.dueOn)).toBe(dateOnly(daysFromAt(7)))
		expect(row!.status).toBe('DUE')
		expect(await rowsOf(org.id, other.id)).toEqual([])
	})

	test('a role requirement applies to that role only', async () => {
		const org = await organisation()
		await requirement(org.id, { audience: 'ROLES', roles: ['MANAGER'] })
		const manager = await member(org.id, { role: 'MANAGER' })
		const learner = await member(org.id, { role: 'LEARNER' })
		expect(await rowsOf(org.id, manager.id)).toHaveLength(1)
		expect(await rowsOf(org.id, learner.id)).toEqual([])
	})

	test('a paused requirement applies to nobody; the others still do', async () => {
		const org = await organisation()
		const paused = await requirement(org.id, { paused: true })
		const active = await requirement(org.id)
		const user = await member(org.id)
		const rows = await rowsOf(org.id, user.id)
		expect(rows.map((row) => row.requirementId)).toEqual([active.id])
		expect(rows.map((row) => row.requirementId)).not.toContain(paused.id)
	})

	test('a deactivated member has no requirements', async () => {
		const org = await organisation()
		await requirement(org.id)
		const user = await member(org.id, { deactivated: true })
		expect(await rowsOf(org.id, user.id)).toEqual([])
	})
})

describe('which completion counts', () => {
	test('a valid completion of an older course version counts', async () => {
		const org = await organisation()
		const { courseSlug } = await requirement(org.id)
		const user = await member(org.id)
		await completion(user.id, courseSlug, { completedAt: daysFromAt(-60), expiresAt: daysFromAt(300), version: '0.9.0' })
		const [row] = await rowsOf(org.id, user.id)
		expect(row!.status).toBe('COMPLIANT')
		expect(dateOnly(row!.dueOn)).toBe(dateOnly(daysFromAt(300)))
	})

	test('a renewal counts from the latest completion, and the earlier ones stay as history', async () => {
		const org = await organisation()
		const { courseSlug } = await requirement(org.id)
		const user = await member(org.id)
		await completion(user.id, courseSlug, { completedAt: daysFromAt(-390), expiresAt: daysFromAt(-25) })
		await completion(user.id, courseSlug, { completedAt: daysFromAt(-20), expiresAt: daysFromAt(345) })
		expect((await rowsOf(org.id, user.id))[0]!.status).toBe('COMPLIANT')
		expect(await prisma.courseCompletion.count({ where: { userId: user.id, courseSlug } })).toBe(2)
	})

	test('a completion that expired yesterday is overdue from its expiry', async () => {
		const org = await organisation()
		const { courseSlug } = await requirement(org.id)
		const user = await member(org.id)
		await completion(user.id, courseSlug, { completedAt: daysFromAt(-366), expiresAt: daysFromAt(-1) })
		const [row] = await rowsOf(org.id, user.id)
		expect(row!.status).toBe('OVERDUE')
		expect(dateOnly(row!.dueOn)).toBe(dateOnly(daysFromAt(-1)))
	})

	test('a revoked completion does not count', async () => {
		const org = await organisation()
		const { courseSlug } = await requirement(org.id, { createdAt: daysFromAt(-5) })
		const user = await member(org.id)
		await completion(user.id, courseSlug, { completedAt: daysFromAt(-2), expiresAt: daysFromAt(360), revoked: true })
		expect((await rowsOf(org.id, user.id))[0]!.status).toBe('DUE')
	})

	test("the requirement's own recurrence overrides the course's validity", async () => {
		const org = await organisation()
		const { courseSlug } = await requirement(org.id, { recurrenceMonths: 12 })
		const user = await member(org.id)
		await completion(user.id, courseSlug, { completedAt: daysFromAt(-380), expiresAt: daysFromAt(350) })
		expect((await rowsOf(org.id, user.id))[0]!.status).toBe('OVERDUE')
	})

	test('as of an earlier date, later completions and members do not count yet', async () => {
		const org = await organisation()
		const { courseSlug } = await requirement(org.id, { createdAt: daysFromAt(-100), dueWithinDays: 10 })
		const user = await member(org.id, { joinedAt: daysFromAt(-100) })
		const newcomer = await member(org.id, { joinedAt: daysFromAt(-1) })
		await completion(user.id, courseSlug, { completedAt: daysFromAt(-5), expiresAt: daysFromAt(360) })
		const earlier = await listMemberRequirements(org.id, { at: daysFromAt(-10) })
		expect(earlier.find((row) => row.userId === user.id)?.status).toBe('OVERDUE')
		expect(earlier.some((row) => row.userId === newcomer.id)).toBe(false)
		expect((await rowsOf(org.id, newcomer.id))[0]!.status).toBe('DUE')
		expect((await rowsOf(org.id, user.id))[0]!.status).toBe('COMPLIANT')
	})
})
