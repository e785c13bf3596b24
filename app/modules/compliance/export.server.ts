import { Prisma } from '#app/generated/prisma/client.ts'
import { getCourseLibrary } from '#app/modules/courses/course-library.server.ts'
import { csvRecord } from '#app/utils/csv.ts'
import { prisma } from '#app/utils/db.server.ts'
import { inScope, type ComplianceScope } from './scope.server.ts'
import { type RequirementStatus, STATUS_LABELS } from './status.ts'

/** Members per statement: a page of rows at a time keeps memory flat however large the organisation. */
const MEMBERS_PER_BATCH = 500

export const CSV_HEADER = ['Name', 'Email', 'Department', 'Member status', 'Requirement', 'Status', 'Applies since', 'Due date', 'Completed', 'Valid until']

type CsvRow = {
	membershipId: string
	name: string
	email: string
	departmentName: string | null
	memberStatus: RequirementStatus
	courseSlug: string | null
	status: RequirementStatus | null
	appliesSince: Date | null
	dueOn: Date | null
	completedAt: Date | null
	validUntil: Date | null
}

const isoDay = (date: Date | null) => date?.toISOString().slice(0, 10) ?? ''

/**
 * The compliance export: one row per member and requirement that applies to them (a member with
 * none gets one row without a requirement), with both statuses, so counting its members by status
 * gives the dashboard's figures. Streamed batch by batch as the reader pulls, in membership order
 * (a keyset on the primary key, not OFFSET, so each batch costs the same).
 */
export function streamComplianceCsv(scope: ComplianceScope, at = new Date()) {
	const encoder = new TextEncoder()
	let after = ''
	let started = false
	let titles: Map<string, string> | undefined
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!started) {
				started = true
				const { courses } = await getCourseLibrary()
				titles = new Map(courses.map((course) => [course.slug, course.variants.en.title]))
				controller.enqueue(encoder.encode(`\uFEFF${csvRecord(CSV_HEADER)}`))
				return
			}
			const rows = await prisma.$queryRaw<CsvRow[]>`
				WITH batch AS (
					SELECT s."membershipId", s."departmentId", "bulwark_member_status"(s."requirementCount", s."firstDueOn", s."firstExpiry", ${at}) AS "memberStatus"
					FROM "MemberComplianceState" s
					WHERE s."organisationId" = ${scope.organisationId} AND s."membershipId" > ${after} ${inScope(scope, Prisma.sql`s."departmentId"`)}
					ORDER BY s."membershipId"
					LIMIT ${MEMBERS_PER_BATCH}
				)
				SELECT b."membershipId", u."name", u."email", d."name" AS "departmentName", b."memberStatus",
					r."courseSlug", "bulwark_requirement_status"(r."validUntil", r."dueOn", ${at}) AS "status",
					r."appliesSince", r."dueOn", r."completedAt", r."validUntil"
				FROM batch b
				JOIN "Membership" m ON m."id" = b."membershipId"
				JOIN "User" u ON u."id" = m."userId"
				LEFT JOIN "Department" d ON d."id" = b."departmentId"
				LEFT JOIN "MemberRequirementState" r ON r."membershipId" = b."membershipId"
				ORDER BY b."membershipId", r."courseSlug"`
			if (rows.length === 0) {
				controller.close()
				return
			}
			after = rows[rows.length - 1]!.membershipId
			let chunk = ''
			for (const row of rows) {
				chunk += csvRecord([
					row.name,
					row.email,
					row.departmentName,
					STATUS_LABELS[row.memberStatus],
					row.courseSlug ? (titles!.get(row.courseSlug) ?? row.courseSlug) : '',
					row.status && row.courseSlug ? STATUS_LABELS[row.status] : '',
					isoDay(row.appliesSince),
					isoDay(row.dueOn),
					isoDay(row.completedAt),
					isoDay(row.validUntil),
				])
			}
			controller.enqueue(encoder.encode(chunk))
		},
	})
}
