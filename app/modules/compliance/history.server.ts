import { prisma } from '#app/utils/db.server.ts'
import { countMembersByDepartment, type DepartmentCounts, sumInScope } from './report.server.ts'
import type { ManagerScope } from '#app/modules/organisations/manager-scope.server.ts'
import { percentCompliant, totalOf } from './status.ts'

const DAY_MS = 24 * 60 * 60 * 1000
/** The trend's reach: the last 12 months. */
export const TREND_DAYS = 365

/** The UTC day `at` falls on, as the date columns store it. */
export const utcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))

/**
 * Keeps the day's figures for the trend: the dashboard records them whenever it is opened and
 * `npm run reminders` once a day for every organisation, so the history is what each day showed.
 * A later recording on the same day replaces the earlier one.
 */
export async function recordComplianceSnapshot(organisationId: string, byDepartment: DepartmentCounts, at = new Date()) {
	// ON CONFLICT rather than Prisma's upsert: two dashboards opened at once must not collide.
	await prisma.$executeRaw`
		INSERT INTO "ComplianceSnapshot" ("organisationId", "day", "byDepartment")
		VALUES (${organisationId}, ${utcDay(at)}, ${JSON.stringify(byDepartment)}::jsonb)
		ON CONFLICT ("organisationId", "day") DO UPDATE SET "byDepartment" = EXCLUDED."byDepartment"`
}

/** Counts today's figures and records them; what the daily job does for each organisation. */
export async function snapshotOrganisation(organisationId: string, at = new Date()) {
	const byDepartment = await countMembersByDepartment(organisationId, at)
	await recordComplianceSnapshot(organisationId, byDepartment, at)
	return byDepartment
}

/** % compliant per recorded day over the last 12 months, within the scope; oldest first. */
export async function readComplianceTrend(scope: ManagerScope, at = new Date()) {
	const snapshots = await prisma.complianceSnapshot.findMany({
		where: { organisationId: scope.organisationId, day: { gt: new Date(utcDay(at).getTime() - TREND_DAYS * DAY_MS), lte: utcDay(at) } },
		orderBy: { day: 'asc' },
		select: { day: true, byDepartment: true },
	})
	return snapshots.map(({ day, byDepartment }) => {
		const counts = sumInScope(scope, byDepartment as DepartmentCounts)
		return { day, members: totalOf(counts), compliant: counts.COMPLIANT + counts.EXPIRING, percent: percentCompliant(counts) }
	})
}

/**
 * Reconstructs the daily figures of the last `days` days from the status definition evaluated at
 * the end of each day, for days with no recorded snapshot. Members are counted as they are now
 * (a member who left is missing from earlier days), so this is for demo data and first installs,
 * not a substitute for recording each day.
 */
export async function backfillComplianceHistory(organisationId: string, days: number, at = new Date()) {
	await prisma.$executeRaw`
		INSERT INTO "ComplianceSnapshot" ("organisationId", "day", "byDepartment")
		SELECT ${organisationId}, per_department.day, jsonb_object_agg(per_department.department, per_department.counts)
		FROM (
			SELECT day.day, COALESCE(member."departmentId", '') AS department, jsonb_build_object(
				'OVERDUE', COUNT(*) FILTER (WHERE member.status = 'OVERDUE'),
				'DUE', COUNT(*) FILTER (WHERE member.status = 'DUE'),
				'EXPIRING', COUNT(*) FILTER (WHERE member.status = 'EXPIRING'),
				'COMPLIANT', COUNT(*) FILTER (WHERE member.status = 'COMPLIANT')
			) AS counts
			FROM generate_series(CAST(${utcDay(at)} AS DATE) - ${days - 1}::int, CAST(${utcDay(at)} AS DATE) - 1, INTERVAL '1 day') AS day(day)
			CROSS JOIN LATERAL (
				SELECT m."departmentId", "bulwark_member_status"(
					CAST(COUNT(r."requirementId") AS INTEGER), MIN(r."dueOn"),
					CASE WHEN COUNT(r."requirementId") = COUNT(r."validUntil") THEN MIN(r."validUntil") END,
					CAST(day.day + INTERVAL '1 day' - INTERVAL '1 millisecond' AS TIMESTAMP(3))
				) AS status
				FROM "Membership" m
				LEFT JOIN "bulwark_member_requirements"(${organisationId}, CAST(day.day + INTERVAL '1 day' - INTERVAL '1 millisecond' AS TIMESTAMP(3))) r ON r."membershipId" = m."id"
				WHERE m."organisationId" = ${organisationId} AND m."deactivatedAt" IS NULL AND m."joinedAt" < day.day + INTERVAL '1 day'
				GROUP BY m."id"
			) member
			GROUP BY 1, 2
		) per_department
		GROUP BY per_department.day
		ON CONFLICT ("organisationId", "day") DO NOTHING`
}
