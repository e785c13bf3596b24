import { recordComplianceSnapshot, readComplianceTrend } from './history.server.ts'
import { countByRequirement, countMembersByDepartment, listDepartmentsInScope, NO_DEPARTMENT, sumInScope } from './report.server.ts'
import type { ManagerScope } from '#app/modules/organisations/manager-scope.server.ts'
import { emptyStatusCounts, percentCompliant, totalOf } from './status.ts'

/** The dashboard: tiles, members by department, members by requirement and the 12-month trend. */
export async function getComplianceOverview(scope: ManagerScope, at = new Date()) {
	const [byDepartment, byRequirement, departments] = await Promise.all([
		countMembersByDepartment(scope.organisationId, at),
		countByRequirement(scope, at),
		listDepartmentsInScope(scope),
	])
	// Today's point of the trend is what this dashboard shows.
	await recordComplianceSnapshot(scope.organisationId, byDepartment, at)
	const members = sumInScope(scope, byDepartment)
	const withoutDepartment = !scope.departmentIds && byDepartment[NO_DEPARTMENT]
	return {
		tiles: {
			members: totalOf(members),
			percentCompliant: percentCompliant(members),
			overdue: members.OVERDUE,
			expiring: members.EXPIRING,
			due: members.DUE,
		},
		byDepartment: [
			...departments.map((department) => ({ id: department.id, name: department.name, counts: byDepartment[department.id] ?? emptyStatusCounts() })),
			...(withoutDepartment ? [{ id: NO_DEPARTMENT, name: 'No department', counts: withoutDepartment }] : []),
		],
		byRequirement,
		trend: await readComplianceTrend(scope, at),
		departments,
	}
}
