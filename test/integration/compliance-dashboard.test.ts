import pg from 'pg'
import { describe, expect, test } from 'vitest'
import { backfillComplianceHistory } from '#app/modules/compliance/history.server.ts'
import { listAssignedTraining } from '#app/modules/compliance/member-requirements.server.ts'
import { queueReminders } from '#app/modules/compliance/reminders.server.ts'
import { removeRequirement, setRequirementPaused } from '#app/modules/compliance/requirements.server.ts'
import { issueStatement } from '#app/modules/compliance/statements.server.ts'
import { REQUIREMENT_STATUSES, type RequirementStatus, STATUS_LABELS } from '#app/modules/compliance/status.ts'
import { setMemberActive, updateMember } from '#app/modules/organisations/members.server.ts'
import { action as dashboardAction, loader as dashboardLoader } from '#app/routes/org.$slug.compliance.tsx'
import { loader as csvLoader } from '#app/routes/org.$slug.compliance[.csv].ts'
import { loader as memberLoader } from '#app/routes/org.$slug.compliance_.members.$membershipId.tsx'
import { action as membersAction, loader as membersLoader } from '#app/routes/org.$slug.members.tsx'
import { prisma, usesEmbeddedDatabase } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { complianceFixtures } from '#tests/fixtures/compliance.ts'
import { formPost } from '#tests/fixtures/learning.ts'
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

type Sql = (text: string, values?: unknown[]) => Promise<unknown>

const NOW = new Date()
const { daysFrom, requirement, member, completion } = complianceFixtures(NOW)

const openDashboard = (slug: string, cookie: string, search = '') =>
	dashboardLoader({ request: getRequest(`/org/${slug}/compliance${search}`, { cookie }), params: { slug }, context: routeContext() })
const openMember = (slug: string, cookie: string, membershipId: string) =>
	memberLoader({ request: getRequest(`/org/${slug}/compliance/members/${membershipId}`, { cookie }), params: { slug, membershipId }, context: routeContext() })
const downloadCsv = async (slug: string, cookie: string) => {
	const response = await csvLoader({ request: getRequest(`/org/${slug}/compliance.csv`, { cookie }), params: { slug }, context: routeContext() })
	return { response, rows: parseCsv(await response.text()) }
}

/** Our own CSV: every cell quoted, CRLF between records, a BOM first. */
function parseCsv(text: string) {
	const [header, ...records] = text
		.replace(/^\uFEFF/, '')
		.split('\r\n')
		.filter(Boolean)
		.map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => match[1]!.replaceAll('""', '"')))
	return records.map((cells) => Object.fromEntries(header!.map((name, index) => [name, cells[index] ?? ''])))
}

const statusFromLabel = (label: string) => REQUIREMENT_STATUSES.find((status) => STATUS_LABELS[status] === label)!

async function adminOf(prefix: string) {
	const { organisation, admin } = await createOrganisationWithAdmin({ prefix })
	const { cookie } = await createSessionCookie(admin.id)
	// The admin is a member too; dated like the others so the figures below are predictable.
	await prisma.membership.updateMany({ where: { organisationId: organisation.id, userId: admin.id }, data: { joinedAt: daysFrom(-500), roleSince: daysFrom(-500), departmentSince: daysFrom(-500) } })
	return { organisation, admin, cookie }
}

/**
 * An organisation with one member in each status for the everyone-requirement, in two departments:
 * Sales: overdue, due, expiring; Finance: compliant, overdue (and the admin, without a department,
 * overdue). A Sales-only requirement gives the Sales members a second row.
 */
async function seededOrganisation() {
	const { organisation, admin, cookie } = await adminOf('dash')
	const sales = await createDepartment(organisation.id, 'Sales')
	const finance = await createDepartment(organisation.id, 'Finance')
	const everyone = await requirement(organisation.id, { createdAt: daysFrom(-200), dueWithinDays: 30 })
	const salesOnly = await requirement(organisation.id, { createdAt: daysFrom(-200), dueWithinDays: 30, audience: 'DEPARTMENTS', departmentIds: [sales.id] })
	const overdue = await member(organisation.id, { departmentId: sales.id })
	const due = await member(organisation.id, { departmentId: sales.id, joinedAt: daysFrom(-5) })
	const expiring = await member(organisation.id, { departmentId: sales.id })
	await completion(expiring.id, everyone.courseSlug, { completedAt: daysFrom(-300), expiresAt: daysFrom(10) })
	await completion(expiring.id, salesOnly.courseSlug, { completedAt: daysFrom(-10), expiresAt: daysFrom(300) })
	const compliant = await member(organisation.id, { departmentId: finance.id })
	await completion(compliant.id, everyone.courseSlug, { completedAt: daysFrom(-10), expiresAt: daysFrom(355) })
	const lapsed = await member(organisation.id, { departmentId: finance.id })
	await completion(lapsed.id, everyone.courseSlug, { completedAt: daysFrom(-400), expiresAt: daysFrom(-35) })
	return { organisation, admin, cookie, sales, finance, everyone, salesOnly, members: { overdue, due, expiring, compliant, lapsed } }
}

describe('the stored compliance state', () => {
	/** The stored rows equal the definition's, and each member's stored status is their worst requirement's. */
	async function expectStateMatchesDefinition(organisationId: string) {
		const columns = ['membershipId', 'requirementId', 'userId', 'departmentId', 'courseSlug', 'appliesSince', 'dueOn', 'completedAt', 'validUntil']
		const definition = await prisma.$queryRawUnsafe(
			`SELECT ${columns.map((column) => `"${column}"`).join(', ')} FROM "bulwark_member_requirements"($1, CAST('infinity' AS TIMESTAMP(3))) ORDER BY 1, 2`,
			organisationId,
		)
		const stored = await prisma.$queryRawUnsafe(
			`SELECT ${columns.map((column) => `"${column}"`).join(', ')} FROM "MemberRequirementState" WHERE "organisationId" = $1 ORDER BY 1, 2`,
			organisationId,
		)
		expect(stored).toEqual(definition)
		for (const at of [daysFrom(0), daysFrom(25), daysFrom(45), daysFrom(400)]) {
			const worst = await prisma.$queryRaw<{ membershipId: string; status: string }[]>`
				SELECT m."id" AS "membershipId", COALESCE((
					SELECT "bulwark_requirement_status"(r."validUntil", r."dueOn", ${at})
					FROM "bulwark_member_requirements"(${organisationId}, CAST('infinity' AS TIMESTAMP(3))) r
					WHERE r."membershipId" = m."id"
					ORDER BY array_position(ARRAY['OVERDUE', 'DUE', 'EXPIRING', 'COMPLIANT'], "bulwark_requirement_status"(r."validUntil", r."dueOn", ${at}))
					LIMIT 1
				), 'COMPLIANT') AS "status"
				FROM "Membership" m WHERE m."organisationId" = ${organisationId} AND m."deactivatedAt" IS NULL
				ORDER BY 1`
			const memberStatuses = await prisma.$queryRaw<{ membershipId: string; status: string }[]>`
				SELECT s."membershipId", "bulwark_member_status"(s."requirementCount", s."firstDueOn", s."firstExpiry", ${at}) AS "status"
				FROM "MemberComplianceState" s WHERE s."organisationId" = ${organisationId}
				ORDER BY 1`
			expect(memberStatuses).toEqual(worst)
		}
	}

	test('follows every change it depends on, in the same transaction', async () => {
		const { organisation, admin, sales, finance, everyone, salesOnly, members } = await seededOrganisation()
		await expectStateMatchesDefinition(organisation.id)
		const managersOnly = await requirement(organisation.id, { audience: 'ROLES', roles: ['MANAGER'], dueWithinDays: 10 })
		await expectStateMatchesDefinition(organisation.id)

		// A move to another department, a promotion, a new member.
		const due = await prisma.membership.findFirstOrThrow({ where: { userId: members.due.id }, select: { id: true } })
		await updateMember({ organisationId: organisation.id, actorId: admin.id, membershipId: due.id, role: 'MANAGER', departmentId: finance.id })
		await expectStateMatchesDefinition(organisation.id)
		await member(organisation.id, { departmentId: sales.id, joinedAt: daysFrom(-1) })
		await expectStateMatchesDefinition(organisation.id)

		// Requirements paused, resumed, given another department, removed.
		await setRequirementPaused({ organisationId: organisation.id, actorId: admin.id, requirementId: everyone.id, paused: true })
		await expectStateMatchesDefinition(organisation.id)
		await setRequirementPaused({ organisationId: organisation.id, actorId: admin.id, requirementId: everyone.id, paused: false })
		await prisma.requirementDepartment.create({ data: { requirementId: salesOnly.id, departmentId: finance.id } })
		await expectStateMatchesDefinition(organisation.id)
		await prisma.trainingRequirement.update({ where: { id: managersOnly.id }, data: { roles: ['MANAGER', 'LEARNER'], dueWithinDays: 60, recurrenceMonths: 6 } })
		await expectStateMatchesDefinition(organisation.id)
		await prisma.requirementDepartment.delete({ where: { requirementId_departmentId: { requirementId: salesOnly.id, departmentId: finance.id } } })
		await expectStateMatchesDefinition(organisation.id)
		await removeRequirement({ organisationId: organisation.id, actorId: admin.id, requirementId: managersOnly.id })
		await expectStateMatchesDefinition(organisation.id)

		// Completions: a renewal, a revocation, a deletion.
		await completion(members.lapsed.id, everyone.courseSlug, { completedAt: daysFrom(-1), expiresAt: daysFrom(364) })
		await expectStateMatchesDefinition(organisation.id)
		await prisma.courseCompletion.updateMany({ where: { userId: members.expiring.id, courseSlug: everyone.courseSlug }, data: { completedAt: daysFrom(-20), expiresAt: daysFrom(345) } })
		await expectStateMatchesDefinition(organisation.id)
		await prisma.courseCompletion.updateMany({ where: { userId: members.compliant.id }, data: { revokedAt: NOW } })
		await expectStateMatchesDefinition(organisation.id)
		await prisma.courseCompletion.deleteMany({ where: { userId: members.expiring.id, courseSlug: salesOnly.courseSlug } })
		await expectStateMatchesDefinition(organisation.id)

		// Deactivation and return; a department deleted under its members and requirement.
		const lapsed = await prisma.membership.findFirstOrThrow({ where: { userId: members.lapsed.id }, select: { id: true } })
		await setMemberActive({ organisationId: organisation.id, actorId: admin.id, membershipId: lapsed.id, active: false })
		await expectStateMatchesDefinition(organisation.id)
		expect(await prisma.memberComplianceState.count({ where: { membershipId: lapsed.id } })).toBe(0)
		await setMemberActive({ organisationId: organisation.id, actorId: admin.id, membershipId: lapsed.id, active: true })
		await prisma.department.delete({ where: { id: sales.id } })
		await expectStateMatchesDefinition(organisation.id)

		// A deleted account takes its rows with it.
		await prisma.user.delete({ where: { id: members.lapsed.id } })
		await expectStateMatchesDefinition(organisation.id)
		expect(await prisma.memberComplianceState.count({ where: { membershipId: lapsed.id } })).toBe(0)
	})

	/**
	 * Two transactions changing one organisation's state at once, on connections of their own: the
	 * first holds its change open while the second starts. PGlite has a single connection, so there
	 * they run one after the other, the only order it allows.
	 */
	async function interleave(first: (sql: Sql) => Promise<void>, second: (sql: Sql) => Promise<void>) {
		if (usesEmbeddedDatabase()) {
			const sql: Sql = (text, values = []) => prisma.$executeRawUnsafe(text, ...values)
			await first(sql)
			await second(sql)
			return
		}
		const [a, b] = [new pg.Client({ connectionString: getEnv().DATABASE_URL }), new pg.Client({ connectionString: getEnv().DATABASE_URL })]
		await Promise.all([a.connect(), b.connect()])
		try {
			await a.query('BEGIN')
			await first((text, values) => a.query(text, values))
			const waiting = (async () => {
				await b.query('BEGIN')
				await second((text, values) => b.query(text, values))
				await b.query('COMMIT')
			})()
			// Long enough for the second to reach the rows the first holds.
			await new Promise((resolve) => setTimeout(resolve, 300))
			await a.query('COMMIT')
			await waiting
		} finally {
			await Promise.all([a.end(), b.end()])
		}
	}

	test('stays exact when a completion and a requirement change overlap', async () => {
		const { organisation, everyone, members } = await seededOrganisation()
		const complete = (userId: string) => (sql: Sql) =>
			sql(
				`INSERT INTO "CourseCompletion" ("id", "userId", "courseSlug", "courseVersion", "courseTitle", "learnerName", "completedAt", "expiresAt", "certificateCode")
				VALUES ($1, $2, $3, '1.0.0', 'Course', 'Learner', $4, $5, $6)`,
				[`race${randomId()}`, userId, everyone.courseSlug, daysFrom(-1), daysFrom(364), `RACE-${randomId()}`.toUpperCase()],
			).then(() => undefined)
		const setPaused = (paused: boolean) => (sql: Sql) =>
			sql(`UPDATE "TrainingRequirement" SET "pausedAt" = $1 WHERE "id" = $2`, [paused ? NOW : null, everyone.id]).then(() => undefined)
		// A completion first, then the requirement it counts for is paused; then the other way round.
		await interleave(complete(members.overdue.id), setPaused(true))
		await expectStateMatchesDefinition(organisation.id)
		await interleave(setPaused(false), complete(members.due.id))
		await expectStateMatchesDefinition(organisation.id)
		expect(await prisma.memberRequirementState.count({ where: { requirementId: everyone.id } })).toBe(6)
	})

	test('a member no requirement applies to counts as compliant', async () => {
		const { organisation, cookie } = await adminOf('nothing')
		const page = await openDashboard(organisation.slug, cookie)
		expect(page.overview.tiles).toEqual({ members: 1, percentCompliant: 100, overdue: 0, expiring: 0, due: 0 })
		expect(page.table.members.map((row) => [row.status, row.requirementCount])).toEqual([['COMPLIANT', 0]])
	})
})

describe('the dashboard and the CSV', () => {
	test('show the same figures, counted from the same status', async () => {
		const { organisation, cookie } = await seededOrganisation()
		const { overview } = await openDashboard(organisation.slug, cookie)
		expect(overview.tiles).toEqual({ members: 6, percentCompliant: 33, overdue: 3, expiring: 1, due: 1 })

		const { response, rows } = await downloadCsv(organisation.slug, cookie)
		expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
		expect(response.headers.get('Content-Disposition')).toMatch(new RegExp(`attachment; filename="${organisation.slug}-compliance-\\d{4}-\\d{2}-\\d{2}\\.csv"`))
		// Everyone has the everyone-requirement; the three Sales members have the Sales one too.
		expect(rows).toHaveLength(6 + 3)

		const memberStatus = new Map(rows.map((row) => [row.Email, statusFromLabel(row['Member status']!)]))
		const csvTiles = { members: memberStatus.size, overdue: 0, expiring: 0, due: 0, compliant: 0 }
		for (const status of memberStatus.values()) {
			if (status === 'OVERDUE') csvTiles.overdue++
			if (status === 'EXPIRING') csvTiles.expiring++
			if (status === 'DUE') csvTiles.due++
			if (status === 'COMPLIANT' || status === 'EXPIRING') csvTiles.compliant++
		}
		expect(csvTiles.members).toBe(overview.tiles.members)
		expect(csvTiles.overdue).toBe(overview.tiles.overdue)
		expect(csvTiles.expiring).toBe(overview.tiles.expiring)
		expect(csvTiles.due).toBe(overview.tiles.due)
		expect(Math.floor((csvTiles.compliant * 100) / csvTiles.members)).toBe(overview.tiles.percentCompliant)

		for (const requirement of overview.byRequirement) {
			const counts = Object.fromEntries(REQUIREMENT_STATUSES.map((status) => [status, 0])) as Record<RequirementStatus, number>
			for (const row of rows.filter((row) => row.Requirement === requirement.courseTitle)) counts[statusFromLabel(row.Status!)]++
			expect(counts).toEqual(requirement.counts)
		}
		for (const department of overview.byDepartment) {
			const counts = Object.fromEntries(REQUIREMENT_STATUSES.map((status) => [status, 0])) as Record<RequirementStatus, number>
			const inDepartment = new Map(rows.filter((row) => (row.Department || 'No department') === department.name).map((row) => [row.Email, row['Member status']!]))
			for (const label of inDepartment.values()) counts[statusFromLabel(label)]++
			expect(counts).toEqual(department.counts)
		}
		expect(overview.byDepartment.map((department) => [department.name, department.counts])).toEqual([
			['Finance', { OVERDUE: 1, DUE: 0, EXPIRING: 0, COMPLIANT: 1 }],
			['Sales', { OVERDUE: 1, DUE: 1, EXPIRING: 1, COMPLIANT: 0 }],
			['No department', { OVERDUE: 1, DUE: 0, EXPIRING: 0, COMPLIANT: 0 }],
		])
	})

	test('the CSV neutralises cells a spreadsheet would run as formulas', async () => {
		const { organisation, cookie } = await adminOf('formula')
		const { user } = await addMember(organisation.id)
		await prisma.user.update({ where: { id: user.id }, data: { name: '=HYPERLINK("https://evil.example","Click")' } })
		const { rows } = await downloadCsv(organisation.slug, cookie)
		expect(rows.find((row) => row.Email === user.email)?.Name).toBe(`'=HYPERLINK("https://evil.example","Click")`)
	})

	test('the CSV streams every member once across its batches', async () => {
		const { organisation, cookie } = await adminOf('batches')
		const { id: userIdBase } = { id: `bulk${Date.now().toString(36)}` }
		// 1,200 members: more than two batches of 500, written in one statement.
		await prisma.$executeRaw`INSERT INTO "User" ("id", "email", "name", "passwordHash", "updatedAt")
			SELECT ${userIdBase} || i, ${userIdBase} || i || '@example.test', 'Bulk ' || i, 'x', now() FROM generate_series(1, 1200) i`
		await prisma.$executeRaw`INSERT INTO "Membership" ("id", "organisationId", "userId")
			SELECT ${userIdBase} || 'm' || i, ${organisation.id}, ${userIdBase} || i FROM generate_series(1, 1200) i`
		const { rows } = await downloadCsv(organisation.slug, cookie)
		expect(rows).toHaveLength(1201)
		expect(new Set(rows.map((row) => row.Email)).size).toBe(1201)
	})
})

describe('who sees what', () => {
	async function limitedManager(organisationId: string, departmentIds: string[]) {
		const { user, membership } = await addMember(organisationId, { role: 'MANAGER' })
		await prisma.managerDepartment.createMany({ data: departmentIds.map((departmentId) => ({ membershipId: membership.id, departmentId })) })
		return { ...(await createSessionCookie(user.id)), membershipId: membership.id }
	}

	test('a manager limited to departments sees only their members, everywhere', async () => {
		const { organisation, sales, members } = await seededOrganisation()
		const manager = await limitedManager(organisation.id, [sales.id])
		const page = await openDashboard(organisation.slug, manager.cookie)
		expect(page.limited).toBe(true)
		expect(page.overview.tiles).toEqual({ members: 3, percentCompliant: 33, overdue: 1, expiring: 1, due: 1 })
		expect(page.overview.byDepartment.map((department) => department.name)).toEqual(['Sales'])
		expect(page.overview.trend.at(-1)).toMatchObject({ members: 3, compliant: 1 })
		expect(page.table.total).toBe(3)

		const { rows } = await downloadCsv(organisation.slug, manager.cookie)
		expect(new Set(rows.map((row) => row.Department))).toEqual(new Set(['Sales']))
		expect(rows).toHaveLength(6)

		const salesMember = await prisma.membership.findFirstOrThrow({ where: { userId: members.overdue.id }, select: { id: true } })
		const financeMember = await prisma.membership.findFirstOrThrow({ where: { userId: members.compliant.id }, select: { id: true } })
		expect((await openMember(organisation.slug, manager.cookie, salesMember.id)).member.membership.user.email).toBe(members.overdue.email)
		await expectThrownStatus(openMember(organisation.slug, manager.cookie, financeMember.id), 404)

		const memberList = await membersLoader({ request: getRequest(`/org/${organisation.slug}/members`, { cookie: manager.cookie }), params: { slug: organisation.slug }, context: routeContext() })
		expect(memberList.table.members.map((member) => member.departmentName)).toEqual(['Sales', 'Sales', 'Sales'])

		// Their department cannot be deleted under them: that would widen their view to everyone.
		await expect(prisma.department.delete({ where: { id: sales.id } })).rejects.toThrow()
		expect((await openDashboard(organisation.slug, manager.cookie)).overview.tiles.members).toBe(3)
	})

	test('a manager not limited sees the whole organisation', async () => {
		const { organisation } = await seededOrganisation()
		const manager = await limitedManager(organisation.id, [])
		const page = await openDashboard(organisation.slug, manager.cookie)
		expect(page.limited).toBe(false)
		expect(page.overview.tiles.members).toBe(7)
	})

	test('learners get 403 and other organisations’ members 404 on every compliance URL', async () => {
		const { organisation, members } = await seededOrganisation()
		const membershipId = (await prisma.membership.findFirstOrThrow({ where: { userId: members.overdue.id }, select: { id: true } })).id
		const learner = await createSessionCookie(members.due.id)
		const other = await adminOf('other')
		const remind = (cookie: string) =>
			dashboardAction({ request: formPost(`/org/${organisation.slug}/compliance`, { intent: 'remind-all' }, { cookie }), params: { slug: organisation.slug }, context: routeContext() })
		for (const [cookie, status] of [
			[learner.cookie, 403],
			[other.cookie, 404],
		] as const) {
			await expectThrownStatus(openDashboard(organisation.slug, cookie), status)
			await expectThrownStatus(downloadCsv(organisation.slug, cookie), status)
			await expectThrownStatus(openMember(organisation.slug, cookie, membershipId), status)
			await expectThrownStatus(remind(cookie), status)
		}
		// Their own organisation's member page does not open another organisation's member either.
		await expectThrownStatus(openMember(other.organisation.slug, other.cookie, membershipId), 404)
	})
})

describe('the member table', () => {
	test('searches by name or email, filters, sorts and pages', async () => {
		const { organisation, cookie, finance, members } = await seededOrganisation()
		const search = async (query: string) => (await openDashboard(organisation.slug, cookie, query)).table
		expect((await search(`?q=${encodeURIComponent(members.lapsed.email.slice(0, 12))}`)).members.map((row) => row.email)).toEqual([members.lapsed.email])
		expect((await search('?status=OVERDUE')).total).toBe(3)
		expect((await search(`?status=OVERDUE&department=${finance.id}`)).members.map((row) => row.email)).toEqual([members.lapsed.email])
		// Worst first, then the earlier due date: an overdue member precedes a due one.
		const byStatus = (await search('?sort=status')).members.map((row) => row.status)
		expect(byStatus).toEqual([...byStatus].sort((a, b) => REQUIREMENT_STATUSES.indexOf(a) - REQUIREMENT_STATUSES.indexOf(b)))
		const byName = (await search('?sort=name')).members.map((row) => row.name)
		expect(byName).toEqual([...byName].sort())
		// A search with a LIKE wildcard means the character itself.
		expect((await search('?q=%25')).total).toBe(0)

		for (let index = 0; index < 24; index++) await addMember(organisation.id)
		const second = await search('?sort=name&page=2')
		expect(second.total).toBe(30)
		expect(second.pageCount).toBe(2)
		expect(second.members).toHaveLength(5)
		// A stale link past the end shows the last page.
		expect(await search('?sort=name&page=99')).toMatchObject({ page: 2, total: 30, pageCount: 2, members: second.members })
		expect(await search('?q=nobody-at-all&page=3')).toMatchObject({ page: 1, total: 0, members: [] })
	})

	test('a URL that makes no sense gets 400 with what is wrong', async () => {
		const { organisation, cookie } = await adminOf('badquery')
		const refused = await expectThrownStatus(openDashboard(organisation.slug, cookie, '?status=LATE&page=0'), 400)
		expect(refused.data.message).toContain('Filter by overdue, due, expiring or compliant')
		expect(refused.data.message).toContain('Pages start at 1')
		for (const query of ['?q=%00', '?sort=salary', '?department=../x', '?page=two']) await expectThrownStatus(openDashboard(organisation.slug, cookie, query), 400)
	})

	test('the member page lists requirements, completions and quiz attempts', async () => {
		const { organisation, cookie, members, everyone } = await seededOrganisation()
		const membershipId = (await prisma.membership.findFirstOrThrow({ where: { userId: members.lapsed.id }, select: { id: true } })).id
		await prisma.quizAttempt.create({
			data: { userId: members.lapsed.id, courseSlug: everyone.courseSlug, lessonSlug: 'quiz', courseVersion: '1', language: 'en', status: 'SUBMITTED', presentation: {}, questionCount: 4, correctCount: 2, score: 50, passed: false, submittedAt: daysFrom(-2) },
			select: { id: true },
		})
		const { member } = await openMember(organisation.slug, cookie, membershipId)
		expect(member.requirements.map((row) => [row.courseSlug, row.status])).toEqual([[everyone.courseSlug, 'OVERDUE']])
		expect(member.completions.map((row) => row.completedAt)).toEqual([daysFrom(-400)])
		expect(member.attempts.map((row) => [row.score, row.passed])).toEqual([[50, false]])
		await expectThrownStatus(openMember(organisation.slug, cookie, 'not-an-id!'), 404)
	})
})

describe('the 12-month trend', () => {
	test('opening the dashboard records the day; the backfill reconstructs earlier days', async () => {
		const { organisation, cookie } = await seededOrganisation()
		await backfillComplianceHistory(organisation.id, 400)
		const { overview } = await openDashboard(organisation.slug, cookie)
		expect(overview.trend).toHaveLength(365)
		expect(overview.trend.at(-1)).toEqual({ day: new Date(`${NOW.toISOString().slice(0, 10)}T00:00:00.000Z`), members: 6, compliant: 2, percent: 33 })
		// 250 days ago the requirements did not exist yet: everyone who was a member then was compliant.
		const before = overview.trend.find((point) => point.day.toISOString().slice(0, 10) === daysFrom(-250).toISOString().slice(0, 10))
		expect(before).toMatchObject({ percent: 100 })
	})
})

describe('limiting a manager to departments', () => {
	test('an admin limits a manager; a non-manager or a foreign department is refused', async () => {
		const { organisation, cookie, sales } = await seededOrganisation()
		const { membership } = await addMember(organisation.id, { role: 'MANAGER' })
		const { membership: learner } = await addMember(organisation.id)
		const foreign = await createDepartment((await adminOf('foreign')).organisation.id)
		const post = (fields: [string, string][]) =>
			membersAction({ request: formPost(`/org/${organisation.slug}/members`, fields, { cookie }), params: { slug: organisation.slug }, context: routeContext() })

		expectRedirect(await post([['intent', 'limit-departments'], ['membershipId', membership.id], ['departmentIds', sales.id]]))
		expect(await prisma.managerDepartment.findMany({ where: { membershipId: membership.id }, select: { departmentId: true } })).toEqual([{ departmentId: sales.id }])
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'member.manager_departments_changed' } })).toBe(1)

		expectData(await post([['intent', 'limit-departments'], ['membershipId', learner.id], ['departmentIds', sales.id]]), 400)
		expectData(await post([['intent', 'limit-departments'], ['membershipId', membership.id], ['departmentIds', foreign.id]]), 400)
		expect(await prisma.managerDepartment.count({ where: { membershipId: membership.id } })).toBe(1)

		// Stepping down from manager drops the limits.
		expectRedirect(await post([['intent', 'update'], ['membershipId', membership.id], ['role', 'LEARNER'], ['departmentId', '']]))
		expect(await prisma.managerDepartment.count({ where: { membershipId: membership.id } })).toBe(0)
	})
})

describe('two requirements on one course', () => {
	test('are told apart in every report: dashboard, member page, CSV, statement, reminder and the learner’s own list', async () => {
		const { organisation, admin, cookie } = await adminOf('twice')
		const sales = await createDepartment(organisation.id, 'Sales')
		const courseSlug = `course-${randomId()}`
		const forEveryone = await requirement(organisation.id, { courseSlug, createdAt: daysFrom(-200) })
		const forSales = await requirement(organisation.id, { courseSlug, createdAt: daysFrom(-100), audience: 'DEPARTMENTS', departmentIds: [sales.id] })
		const seller = await member(organisation.id, { departmentId: sales.id })

		const { overview } = await openDashboard(organisation.slug, cookie)
		expect(overview.byRequirement.map((row) => [row.id, row.label])).toEqual([
			[forEveryone.id, `${courseSlug} — Everyone`],
			[forSales.id, `${courseSlug} — Sales`],
		])

		const { member: page } = await openMember(organisation.slug, cookie, seller.membershipId)
		expect(page.requirements.map((row) => row.label).sort()).toEqual([`${courseSlug} — Everyone`, `${courseSlug} — Sales`])

		const { rows } = await downloadCsv(organisation.slug, cookie)
		const sellerRows = rows.filter((row) => row.Email === seller.email)
		expect(sellerRows.map((row) => [row.Requirement, row['Requirement for']]).sort()).toEqual([
			[courseSlug, 'Everyone'],
			[courseSlug, 'Sales'],
		])

		const statement = await issueStatement({ organisationId: organisation.id, actorId: admin.id })
		expect(statement.requirements.map((row) => [row.courseTitle, row.audience])).toEqual([
			[courseSlug, 'Everyone'],
			[courseSlug, 'Sales'],
		])

		await queueReminders({ scope: { organisationId: organisation.id, departmentIds: null }, actorId: admin.id, membershipId: seller.membershipId, origin: 'http://localhost' })
		const reminder = await prisma.outboxMessage.findFirstOrThrow({ where: { membershipId: seller.membershipId }, select: { text: true } })
		expect(reminder.text).toContain(`- ${courseSlug} — Everyone (Overdue)`)
		expect(reminder.text).toContain(`- ${courseSlug} — Sales (Overdue)`)

		expect((await listAssignedTraining(seller.id)).map((row) => row.distinguishedBy).sort()).toEqual(['Everyone', 'Sales'])
	})
})

describe('dates in the reports', () => {
	test('completions valid until the same day have one status whatever their time of day; the due date is the later of deadline and expiry', async () => {
		const { organisation, cookie } = await adminOf('days')
		const { courseSlug } = await requirement(organisation.id, { createdAt: daysFrom(-400), dueWithinDays: 30 })
		const inThirtyDays = daysFrom(30).toISOString().slice(0, 10)
		const sameDay = []
		for (const time of ['00:00:00.000', '12:00:00.000', '23:59:59.999']) {
			const learner = await member(organisation.id)
			await completion(learner.id, courseSlug, { completedAt: daysFrom(-335), expiresAt: new Date(`${inThirtyDays}T${time}Z`) })
			sameDay.push(learner)
		}
		// Joined a week ago with a completion from an earlier employer that expires tomorrow: their
		// own deadline (joined + 30 days) is later, so that is the day they must renew by.
		const newcomer = await member(organisation.id, { joinedAt: daysFrom(-7) })
		await completion(newcomer.id, courseSlug, { completedAt: daysFrom(-364), expiresAt: daysFrom(1) })

		const { rows } = await downloadCsv(organisation.slug, cookie)
		const rowOf = (email: string) => rows.find((row) => row.Email === email)!
		for (const learner of sameDay) {
			expect(rowOf(learner.email)).toMatchObject({ Status: 'Expiring soon', 'Valid until': inThirtyDays, 'Due date': inThirtyDays })
		}
		expect(rowOf(newcomer.email)).toMatchObject({
			Status: 'Expiring soon',
			'Valid until': daysFrom(1).toISOString().slice(0, 10),
			'Due date': daysFrom(23).toISOString().slice(0, 10),
		})
		const { member: page } = await openMember(organisation.slug, cookie, newcomer.membershipId)
		expect(page.requirements.map((row) => [row.status, row.dueOn.toISOString().slice(0, 10)])).toEqual([['EXPIRING', daysFrom(23).toISOString().slice(0, 10)]])
	})
})
