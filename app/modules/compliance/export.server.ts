import { csvRecord } from '#app/utils/csv.ts'
import { queryRows, type SqlStatement } from '#app/utils/db.server.ts'
import type { ManagerScope } from '#app/modules/organisations/manager-scope.server.ts'
import { requirementsById } from './requirements.server.ts'
import { type RequirementStatus, STATUS_LABELS } from './status.ts'

/** Members per statement: a page of rows at a time keeps memory flat however large the organisation. */
const MEMBERS_PER_BATCH = 500

/**
 * "Requirement" is the course's title; "Requirement for" (added last, so the earlier columns keep
 * their places) is whom it is for, which tells two requirements on one course apart. "Due date"
 * is the last day to complete or renew it and "Valid until" the last day the completion counts
 * (README, "What the status means").
 */
export const CSV_HEADER = ['Name', 'Email', 'Department', 'Member status', 'Requirement', 'Status', 'Applies since', 'Due date', 'Completed', 'Valid until', 'Requirement for']

type CsvRow = {
	membershipId: string
	name: string
	email: string
	departmentName: string | null
	memberStatus: RequirementStatus
	requirementId: string | null
	courseSlug: string | null
	status: RequirementStatus | null
	/** UTC days as YYYY-MM-DD, formatted by the database: the export's rows are many. */
	appliesSince: string | null
	dueOn: string | null
	completedAt: string | null
	validUntil: string | null
}

// The next batch of members after $3 in membership order (a keyset on the primary key, so each
// batch costs the same), with their requirement rows. The LATERAL join keeps the plan on the
// index whatever the batch size. $4 is the scope's departments, or null for the whole organisation.
const CSV_BATCH: SqlStatement = {
	name: 'compliance_csv_batch',
	text: `
		WITH batch AS (
			SELECT s."membershipId", s."departmentId", "bulwark_member_status"(s."requirementCount", s."firstDueOn", s."firstExpiry", $2::timestamp(3)) AS "memberStatus"
			FROM "MemberComplianceState" s
			WHERE s."organisationId" = $1 AND s."membershipId" > $3 AND ($4::text[] IS NULL OR s."departmentId" = ANY ($4::text[]))
			ORDER BY s."membershipId"
			LIMIT $5
		)
		SELECT b."membershipId", u."name", u."email", d."name" AS "departmentName", b."memberStatus", r.*
		FROM batch b
		JOIN "Membership" m ON m."id" = b."membershipId"
		JOIN "User" u ON u."id" = m."userId"
		LEFT JOIN "Department" d ON d."id" = b."departmentId"
		LEFT JOIN LATERAL (
			SELECT r."requirementId", r."courseSlug", "bulwark_requirement_status"(r."validUntil", r."dueOn", $2::timestamp(3)) AS "status",
				to_char(r."appliesSince", 'YYYY-MM-DD') AS "appliesSince", to_char(r."dueOn", 'YYYY-MM-DD') AS "dueOn",
				to_char(r."completedAt", 'YYYY-MM-DD') AS "completedAt", to_char(r."validUntil", 'YYYY-MM-DD') AS "validUntil"
			FROM "MemberRequirementState" r
			WHERE r."membershipId" = b."membershipId"
		) r ON TRUE
		ORDER BY b."membershipId", r."courseSlug", r."requirementId"`,
}

/**
 * The compliance export: one row per member and requirement that applies to them (a member with
 * none gets one row without a requirement), with both statuses, so counting its members by status
 * gives the dashboard's figures. Streamed batch by batch as the reader pulls.
 */
export function streamComplianceCsv(scope: ManagerScope, at = new Date()) {
	const encoder = new TextEncoder()
	// Timestamps are UTC wall times; an ISO string binds as that, whatever the server's zone.
	const moment = at.toISOString()
	let after = ''
	let requirements: Awaited<ReturnType<typeof requirementsById>> | undefined
	return new ReadableStream<Uint8Array>({
		async start(controller) {
			requirements = await requirementsById(scope.organisationId)
			controller.enqueue(encoder.encode(`\uFEFF${csvRecord(CSV_HEADER)}`))
		},
		async pull(controller) {
			const rows = await queryRows<CsvRow>(CSV_BATCH, [scope.organisationId, moment, after, scope.departmentIds, MEMBERS_PER_BATCH])
			if (rows.length === 0) {
				controller.close()
				return
			}
			after = rows[rows.length - 1]!.membershipId
			let chunk = ''
			for (const row of rows) {
				// A requirement added while the export runs is not among those read at its start: named by its course.
				const requirement = row.requirementId ? (requirements!.get(row.requirementId) ?? { courseTitle: row.courseSlug, audienceLabel: null }) : undefined
				chunk += csvRecord([
					row.name,
					row.email,
					row.departmentName,
					STATUS_LABELS[row.memberStatus],
					requirement ? requirement.courseTitle : null,
					requirement && row.status ? STATUS_LABELS[row.status] : null,
					row.appliesSince,
					row.dueOn,
					row.completedAt,
					row.validUntil,
					requirement ? requirement.audienceLabel : null,
				])
			}
			controller.enqueue(encoder.encode(chunk))
		},
	})
}
