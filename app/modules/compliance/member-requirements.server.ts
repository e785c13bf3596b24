import { prisma } from '#app/utils/db.server.ts'
import { requirementStatus } from './report.server.ts'
import { requirementsById } from './requirements.server.ts'
import { byUrgency, type RequirementStatus } from './status.ts'

export type MemberRequirement = {
	membershipId: string
	userId: string
	departmentId: string | null
	requirementId: string
	courseSlug: string
	appliesSince: Date
	/**
	 * The last day to complete or renew it before it is overdue: the later of the member's own
	 * deadline and the day their latest completion expires (README, "What the status means").
	 */
	dueOn: Date
	completedAt: Date | null
	validUntil: Date | null
	status: RequirementStatus
}

/**
 * What the learner's organisations require of them, worst first: the learner's dashboard. One
 * indexed read of the stored state (decision 016) for all their organisations. `distinguishedBy`
 * says whom a requirement is for when its organisation requires the course more than once.
 */
export async function listAssignedTraining(userId: string, at = new Date()) {
	const rows = await prisma.$queryRaw<(MemberRequirement & { organisationId: string; organisationName: string })[]>`
		SELECT o."id" AS "organisationId", o."name" AS "organisationName", r."membershipId", r."userId", r."departmentId", r."requirementId",
			r."courseSlug", r."appliesSince", r."dueOn", r."completedAt", r."validUntil", ${requirementStatus(at)} AS "status"
		FROM "MemberRequirementState" r
		JOIN "Organisation" o ON o."id" = r."organisationId"
		WHERE r."userId" = ${userId}`
	const organisationIds = [...new Set(rows.map((row) => row.organisationId))]
	const requirements = new Map((await Promise.all(organisationIds.map((organisationId) => requirementsById(organisationId)))).flatMap((byId) => [...byId]))
	return rows.map((row) => ({ ...row, distinguishedBy: requirements.get(row.requirementId)?.distinguishedBy ?? null })).sort(byUrgency)
}
