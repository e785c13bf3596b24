import { Prisma } from '#app/generated/prisma/client.ts'
import { getCourseLibrary } from '#app/modules/courses/course-library.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { notFound } from '#app/utils/http.server.ts'
import { likePattern, queryPage } from '#app/utils/list-query.server.ts'
import { listRequirements, requirementsById } from './requirements.server.ts'
import { MEMBER_SORTS, type MemberTableQuery } from './schemas.ts'
import { coversDepartment, type ManagerScope, inScope } from '#app/modules/organisations/manager-scope.server.ts'
import { byUrgency, emptyStatusCounts, type RequirementStatus, type StatusCounts } from './status.ts'

// Every figure here is read from the stored compliance state (decision 016) with the status rules
// of migration training_requirements, so the dashboard, member page, CSV and statement agree.

/** The SQL for a member's status as a whole from their row in "MemberComplianceState" `s`. */
export const memberStatus = (at: Date) => Prisma.sql`"bulwark_member_status"(s."requirementCount", s."firstDueOn", s."firstExpiry", ${at})`
/** The SQL for a member's status for one requirement from their row in "MemberRequirementState" `r`. */
export const requirementStatus = (at: Date) => Prisma.sql`"bulwark_requirement_status"(r."validUntil", r."dueOn", ${at})`

/** Key of members without a department in per-department figures. */
export const NO_DEPARTMENT = ''

export type DepartmentCounts = Record<string, StatusCounts>

/** Members by department and status, for the whole organisation (the daily snapshot's shape). */
export async function countMembersByDepartment(organisationId: string, at = new Date()) {
	const rows = await prisma.$queryRaw<{ departmentId: string | null; status: RequirementStatus; members: number }[]>`
		SELECT s."departmentId", ${memberStatus(at)} AS "status", CAST(COUNT(*) AS INTEGER) AS "members"
		FROM "MemberComplianceState" s
		WHERE s."organisationId" = ${organisationId}
		GROUP BY 1, 2`
	const byDepartment: DepartmentCounts = {}
	for (const row of rows) {
		const counts = (byDepartment[row.departmentId ?? NO_DEPARTMENT] ??= emptyStatusCounts())
		counts[row.status] = row.members
	}
	return byDepartment
}

/** Adds up the departments the scope covers. */
export function sumInScope(scope: ManagerScope, byDepartment: DepartmentCounts) {
	const total = emptyStatusCounts()
	for (const [departmentId, counts] of Object.entries(byDepartment)) {
		if (!coversDepartment(scope, departmentId === NO_DEPARTMENT ? null : departmentId)) continue
		for (const status of Object.keys(total) as RequirementStatus[]) total[status] += counts[status] ?? 0
	}
	return total
}

/** Members by status for each active requirement, within the scope. */
export async function countByRequirement(scope: ManagerScope, at = new Date()) {
	const [rows, requirements] = await Promise.all([
		prisma.$queryRaw<{ requirementId: string; status: RequirementStatus; members: number }[]>`
			SELECT r."requirementId", ${requirementStatus(at)} AS "status", CAST(COUNT(*) AS INTEGER) AS "members"
			FROM "MemberRequirementState" r
			WHERE r."organisationId" = ${scope.organisationId} ${inScope(scope, Prisma.sql`r."departmentId"`)}
			GROUP BY 1, 2`,
		listRequirements(scope.organisationId),
	])
	return requirements
		.filter((requirement) => !requirement.pausedAt)
		.map((requirement) => {
			const counts = emptyStatusCounts()
			for (const row of rows) if (row.requirementId === requirement.id) counts[row.status] = row.members
			return { id: requirement.id, label: requirement.label, courseTitle: requirement.courseTitle, audienceLabel: requirement.audienceLabel, counts }
		})
}

/** The departments the scope covers, by name. */
export function listDepartmentsInScope(scope: ManagerScope) {
	return prisma.department.findMany({
		where: { organisationId: scope.organisationId, ...(scope.departmentIds ? { id: { in: scope.departmentIds } } : {}) },
		orderBy: { name: 'asc' },
		select: { id: true, name: true },
	})
}

export const MEMBER_PAGE_SIZE = 25

const MEMBER_ORDER: Record<keyof typeof MEMBER_SORTS, Prisma.Sql> = {
	name: Prisma.sql`"name", "membershipId"`,
	status: Prisma.sql`CASE "status" WHEN 'OVERDUE' THEN 0 WHEN 'DUE' THEN 1 WHEN 'EXPIRING' THEN 2 ELSE 3 END, "firstDueOn" NULLS LAST, "name", "membershipId"`,
	due: Prisma.sql`"firstDueOn" NULLS LAST, "name", "membershipId"`,
	department: Prisma.sql`"departmentName" NULLS LAST, "name", "membershipId"`,
}

type MemberRow = {
	membershipId: string
	name: string
	email: string
	departmentName: string | null
	requirementCount: number
	firstDueOn: Date | null
	status: RequirementStatus
}

/**
 * One page of the member table: searched by name or email, filtered, sorted. A page past the last
 * (a stale link) shows the last one.
 */
export async function listComplianceMembers(scope: ManagerScope, query: MemberTableQuery, at = new Date()) {
	const { items, ...pages } = await queryPage<MemberRow>({
		matching: Prisma.sql`
			SELECT * FROM (
				SELECT s."membershipId", u."name", u."email", d."name" AS "departmentName", s."requirementCount", s."firstDueOn", ${memberStatus(at)} AS "status"
				FROM "MemberComplianceState" s
				JOIN "Membership" m ON m."id" = s."membershipId"
				JOIN "User" u ON u."id" = m."userId"
				LEFT JOIN "Department" d ON d."id" = s."departmentId"
				WHERE s."organisationId" = ${scope.organisationId} ${inScope(scope, Prisma.sql`s."departmentId"`)}
					${query.department ? Prisma.sql`AND s."departmentId" = ${query.department}` : Prisma.empty}
					${query.q ? Prisma.sql`AND (u."name" ILIKE ${likePattern(query.q)} OR u."email" ILIKE ${likePattern(query.q)})` : Prisma.empty}
			) members
			${query.status ? Prisma.sql`WHERE "status" = ${query.status}` : Prisma.empty}`,
		order: MEMBER_ORDER[query.sort],
		key: 'membershipId',
		page: query.page,
		pageSize: MEMBER_PAGE_SIZE,
	})
	return { members: items, ...pages }
}

/** A member's requirements with their status, due dates and completions, and their quiz attempts. */
export async function getMemberCompliance(scope: ManagerScope, membershipId: string, at = new Date()) {
	const membership = await prisma.membership.findFirst({
		where: { id: membershipId, organisationId: scope.organisationId, deactivatedAt: null },
		select: {
			id: true,
			role: true,
			joinedAt: true,
			departmentId: true,
			department: { select: { name: true } },
			user: { select: { id: true, name: true, email: true } },
		},
	})
	if (!membership || !coversDepartment(scope, membership.departmentId)) throw notFound('We could not find that member among those you can see.')
	const [requirements, { bySlug }, labels] = await Promise.all([
		prisma.$queryRaw<
			{ requirementId: string; courseSlug: string; appliesSince: Date; dueOn: Date; completedAt: Date | null; validUntil: Date | null; status: RequirementStatus }[]
		>`
			SELECT r."requirementId", r."courseSlug", r."appliesSince", r."dueOn", r."completedAt", r."validUntil", ${requirementStatus(at)} AS "status"
			FROM "MemberRequirementState" r
			WHERE r."membershipId" = ${membership.id} AND r."organisationId" = ${scope.organisationId}`,
		getCourseLibrary(),
		requirementsById(scope.organisationId),
	])
	const courseSlugs = requirements.map((requirement) => requirement.courseSlug)
	const [completions, attempts] = await Promise.all([
		prisma.courseCompletion.findMany({
			where: { userId: membership.user.id, courseSlug: { in: courseSlugs } },
			orderBy: { completedAt: 'desc' },
			select: { id: true, courseSlug: true, courseTitle: true, courseVersion: true, completedAt: true, expiresAt: true, revokedAt: true },
		}),
		prisma.quizAttempt.findMany({
			where: { userId: membership.user.id, courseSlug: { in: courseSlugs }, status: 'SUBMITTED' },
			orderBy: { submittedAt: 'desc' },
			take: 100,
			select: { id: true, courseSlug: true, lessonSlug: true, score: true, passed: true, submittedAt: true },
		}),
	])
	const titleOf = (slug: string) => bySlug.get(slug)?.variants.en.title ?? slug
	return {
		membership,
		requirements: requirements.sort(byUrgency).map((requirement) => ({
			...requirement,
			courseTitle: titleOf(requirement.courseSlug),
			label: labels.get(requirement.requirementId)?.label ?? titleOf(requirement.courseSlug),
		})),
		completions,
		attempts: attempts.map((attempt) => ({
			...attempt,
			courseTitle: titleOf(attempt.courseSlug),
			lessonTitle: bySlug.get(attempt.courseSlug)?.variants.en.lessons.find((lesson) => lesson.slug === attempt.lessonSlug)?.title ?? attempt.lessonSlug,
		})),
	}
}
