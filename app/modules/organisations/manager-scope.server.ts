import { Prisma } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { requireMembership } from './membership.server.ts'
import { canSeeMembers } from './roles.ts'

/**
 * Which members a reader may see: an admin, or a manager not limited to departments, sees the
 * whole organisation (`departmentIds` null); a limited manager sees the members of their departments.
 */
export type ManagerScope = { organisationId: string; departmentIds: string[] | null }

/**
 * The gate for the member list and every compliance page and export: another organisation's member
 * gets 404 (from requireMembership), a learner 403, and a manager the departments they are limited to.
 */
export async function requireManagerScope(
	request: Request,
	slug: string | undefined,
	forbiddenMessage = 'Compliance is for the organisation’s managers and admins.',
) {
	const access = await requireMembership(request, slug, { allow: canSeeMembers, forbiddenMessage })
	const limitedTo =
		access.membership.role === 'MANAGER'
			? await prisma.managerDepartment.findMany({ where: { membershipId: access.membership.id }, select: { departmentId: true } })
			: []
	const scope: ManagerScope = {
		organisationId: access.organisation.id,
		departmentIds: limitedTo.length ? limitedTo.map(({ departmentId }) => departmentId) : null,
	}
	return { ...access, scope }
}

/** Narrows a query on a table with a `departmentId` column to the scope's departments. */
export function inScope(scope: ManagerScope, departmentColumn: Prisma.Sql) {
	return scope.departmentIds ? Prisma.sql`AND ${departmentColumn} = ANY (${scope.departmentIds}::text[])` : Prisma.empty
}

/** Whether the scope covers a member in `departmentId` (null: no department). */
export const coversDepartment = (scope: ManagerScope, departmentId: string | null) =>
	!scope.departmentIds || (departmentId !== null && scope.departmentIds.includes(departmentId))
