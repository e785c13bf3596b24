import { Prisma } from '#app/generated/prisma/client.ts'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { canSeeMembers } from '#app/modules/organisations/roles.ts'
import { prisma } from '#app/utils/db.server.ts'

/**
 * Whose compliance a reader may see: an admin, or a manager not limited to departments, sees the
 * whole organisation (`departmentIds` null); a limited manager sees the members of their departments.
 */
export type ComplianceScope = { organisationId: string; departmentIds: string[] | null }

/**
 * The gate for every compliance page and export: another organisation's member gets 404 (from
 * requireMembership), a learner 403, and a manager the departments they are limited to.
 */
export async function requireComplianceReader(request: Request, slug: string | undefined) {
	const access = await requireMembership(request, slug, {
		allow: canSeeMembers,
		forbiddenMessage: 'Compliance is for the organisation’s managers and admins.',
	})
	const limitedTo =
		access.membership.role === 'MANAGER'
			? await prisma.managerDepartment.findMany({ where: { membershipId: access.membership.id }, select: { departmentId: true } })
			: []
	const scope: ComplianceScope = {
		organisationId: access.organisation.id,
		departmentIds: limitedTo.length ? limitedTo.map(({ departmentId }) => departmentId) : null,
	}
	return { ...access, scope }
}

/** Narrows a query on a table with a `departmentId` column to the scope's departments. */
export function inScope(scope: ComplianceScope, departmentColumn: Prisma.Sql) {
	return scope.departmentIds ? Prisma.sql`AND ${departmentColumn} = ANY (${scope.departmentIds}::text[])` : Prisma.empty
}

/** Whether the scope covers a member in `departmentId` (null: no department). */
export const coversDepartment = (scope: ComplianceScope, departmentId: string | null) =>
	!scope.departmentIds || (departmentId !== null && scope.departmentIds.includes(departmentId))
