import { prisma } from '#app/utils/db.server.ts'
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
 * statement for all their organisations.
 */
export async function listAssignedTraining(userId: string, at = new Date()) {
	const rows = await prisma.$queryRaw<(MemberRequirement & { organisationId: string; organisationName: string })[]>`
		SELECT o."id" AS "organisationId", o."name" AS "organisationName", r.*
		FROM "Membership" m
		JOIN "Organisation" o ON o."id" = m."organisationId"
		CROSS JOIN LATERAL "bulwark_member_requirements"(o."id", ${at}) r
		WHERE m."userId" = ${userId} AND m."deactivatedAt" IS NULL AND r."userId" = ${userId}`
	return rows.sort(byUrgency)
}
