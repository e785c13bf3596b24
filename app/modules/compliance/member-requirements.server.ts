import { prisma } from '#app/utils/db.server.ts'
import { requirementStatus } from './report.server.ts'
import { byUrgency, type RequirementStatus } from './status.ts'

export type MemberRequirement = {
	membershipId: string
	userId: string
	departmentId: string | null
	requirementId: string
	courseSlug: string
	appliesSince: Date
	/** The last day to complete (or renew) it; for a valid completion, the day it expires. */
	dueOn: Date
	completedAt: Date | null
	validUntil: Date | null
	status: RequirementStatus
}

/**
 * What the learner's organisations require of them, worst first: the learner's dashboard. One
 * indexed read of the stored state (decision 016) for all their organisations.
 */
export async function listAssignedTraining(userId: string, at = new Date()) {
	const rows = await prisma.$queryRaw<(MemberRequirement & { organisationId: string; organisationName: string })[]>`
		SELECT o."id" AS "organisationId", o."name" AS "organisationName", r."membershipId", r."userId", r."departmentId", r."requirementId",
			r."courseSlug", r."appliesSince", r."dueOn", r."completedAt", r."validUntil", ${requirementStatus(at)} AS "status"
		FROM "MemberRequirementState" r
		JOIN "Organisation" o ON o."id" = r."organisationId"
		WHERE r."userId" = ${userId}`
	return rows.sort(byUrgency)
}
