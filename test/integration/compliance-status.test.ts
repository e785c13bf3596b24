import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { complianceFixtures, listMemberRequirements } from '#tests/fixtures/compliance.ts'
import { createDepartment, createOrganisationWithAdmin, createUser, randomId } from '#tests/fixtures/users.ts'

// The status rules live in SQL (bulwark_requirement_status and bulwark_member_requirements), so
// their boundaries are tested on the real database. Every date is relative to AT.
const AT = new Date('2027-06-15T12:00:00.000Z')
const { daysFrom: daysFromAt, requirement, member, completion } = complianceFixtures(AT)
const dateOnly = (date: Date) => date.toISOString().slice(0, 10)

async function statusOf(validUntil: Date | null, dueOn: string) {
	const [row] = await prisma.$queryRaw<{ status: string }[]>`
		SELECT "bulwark_requirement_status"(${validUntil}::timestamp(3), ${dueOn}::date, ${AT}::timestamp(3)) AS "status"`
	return row?.status
}

describe('a status at its boundaries', () => {
	test.each([
		['valid for 31 more days', 'COMPLIANT', daysFromAt(31), dateOnly(daysFromAt(31))],
		['expires in exactly 30 days', 'EXPIRING', daysFromAt(30), dateOnly(daysFromAt(30))],
		['expires in a minute', 'EXPIRING', new Date(AT.getTime() + 60_000), dateOnly(AT)],
		['expired at this very moment, due today', 'DUE', AT, dateOnly(AT)],
		['never completed, due today', 'DUE', null, dateOnly(AT)],
		['never completed, due tomorrow', 'DUE', null, dateOnly(daysFromAt(1))],
		['never completed, due yesterday', 'OVERDUE', null, dateOnly(daysFromAt(-1))],
		['expired yesterday, due by its expiry', 'OVERDUE', daysFromAt(-1), dateOnly(daysFromAt(-1))],
	])('%s: %s', async (_name, expected, validUntil, dueOn) => {
		expect(await statusOf(validUntil, dueOn)).toBe(expected)
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
