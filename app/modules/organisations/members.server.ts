import { Prisma } from '#app/generated/prisma/client.ts'
import type { Role } from '#app/generated/prisma/enums.ts'
import { memberStatus } from '#app/modules/compliance/report.server.ts'
import type { RequirementStatus } from '#app/modules/compliance/status.ts'
import { isUniqueConstraintError, prisma } from '#app/utils/db.server.ts'
import { notFound } from '#app/utils/http.server.ts'
import { likePattern, queryPage } from '#app/utils/list-query.server.ts'
import { type AuditEntry, recordAuditEvent, recordAuditEvents } from './audit.server.ts'
import { inScope, type ManagerScope } from './manager-scope.server.ts'
import { ROLE_LABELS } from './roles.ts'
import type { MemberListQuery } from './schemas.ts'

export class MemberChangeError extends Error {}

export const MEMBERS_PAGE_SIZE = 50

type MemberListRow = {
	membershipId: string
	name: string
	email: string
	role: Role
	departmentId: string | null
	departmentName: string | null
	deactivatedAt: Date | null
	/** Null for a deactivated member: compliance counts active members only. */
	complianceStatus: RequirementStatus | null
}

const STATUS_CONDITIONS: Record<MemberListQuery['status'], Prisma.Sql> = {
	active: Prisma.sql`AND m."deactivatedAt" IS NULL`,
	deactivated: Prisma.sql`AND m."deactivatedAt" IS NOT NULL`,
	all: Prisma.empty,
}

/**
 * One page of the members the scope covers (a manager limited to departments sees theirs only),
 * searched by name or email and filtered, by name; with each manager's department limits.
 */
export async function listMembers(scope: ManagerScope, query: MemberListQuery, at = new Date()) {
	const { items, ...pages } = await queryPage<MemberListRow>({
		matching: Prisma.sql`
			SELECT * FROM (
				SELECT m."id" AS "membershipId", u."name", u."email", m."role", m."departmentId", d."name" AS "departmentName", m."deactivatedAt",
					CASE WHEN s."membershipId" IS NULL THEN NULL ELSE ${memberStatus(at)} END AS "complianceStatus"
				FROM "Membership" m
				JOIN "User" u ON u."id" = m."userId"
				LEFT JOIN "Department" d ON d."id" = m."departmentId"
				LEFT JOIN "MemberComplianceState" s ON s."membershipId" = m."id" AND s."organisationId" = m."organisationId"
				WHERE m."organisationId" = ${scope.organisationId} ${inScope(scope, Prisma.sql`m."departmentId"`)}
					${STATUS_CONDITIONS[query.status]}
					${query.role ? Prisma.sql`AND m."role" = CAST(${query.role} AS "Role")` : Prisma.empty}
					${query.department ? Prisma.sql`AND m."departmentId" = ${query.department}` : Prisma.empty}
					${query.q ? Prisma.sql`AND (u."name" ILIKE ${likePattern(query.q)} OR u."email" ILIKE ${likePattern(query.q)})` : Prisma.empty}
			) members
			${query.compliance ? Prisma.sql`WHERE "complianceStatus" = ${query.compliance}` : Prisma.empty}`,
		order: Prisma.sql`"name", "membershipId"`,
		key: 'membershipId',
		page: query.page,
		pageSize: MEMBERS_PAGE_SIZE,
	})
	const managerIds = items.filter((member) => member.role === 'MANAGER').map((member) => member.membershipId)
	const limits = managerIds.length
		? await prisma.managerDepartment.findMany({
				where: { membershipId: { in: managerIds }, membership: { organisationId: scope.organisationId } },
				select: { membershipId: true, departmentId: true },
			})
		: []
	return {
		...pages,
		members: items.map((member) => ({
			...member,
			managedDepartmentIds: limits.filter((limit) => limit.membershipId === member.membershipId).map((limit) => limit.departmentId),
		})),
	}
}

/** The member a confirmation step names, among those the scope covers. */
export async function getMemberSummary(scope: ManagerScope, membershipId: string) {
	const membership = await prisma.membership.findFirst({
		where: { id: membershipId, organisationId: scope.organisationId, ...(scope.departmentIds ? { departmentId: { in: scope.departmentIds } } : {}) },
		select: { id: true, deactivatedAt: true, user: { select: { name: true, email: true } } },
	})
	if (!membership) throw notFound('That member is not in this organisation.')
	return { membershipId: membership.id, name: membership.user.name, email: membership.user.email, active: membership.deactivatedAt === null }
}

export function listDepartments(organisationId: string) {
	return prisma.department.findMany({
		where: { organisationId },
		orderBy: { name: 'asc' },
		select: { id: true, name: true, _count: { select: { memberships: { where: { deactivatedAt: null } } } } },
	})
}

/** A department id from a form is only accepted when it belongs to this organisation. */
export async function assertDepartmentInOrganisation(organisationId: string, departmentId: string | null) {
	if (!departmentId) return
	const department = await prisma.department.findFirst({
		where: { id: departmentId, organisationId },
		select: { id: true },
	})
	if (!department) throw new MemberChangeError('That department does not exist in this organisation.')
}

export async function createDepartment({ organisationId, actorId, name }: { organisationId: string; actorId: string; name: string }) {
	const existing = await prisma.department.findFirst({
		where: { organisationId, name: { equals: name, mode: 'insensitive' } },
		select: { id: true },
	})
	const taken = new MemberChangeError(`There is already a department called “${name}”.`)
	if (existing) throw taken
	return prisma
		.$transaction(async (tx) => {
			const department = await tx.department.create({ data: { organisationId, name }, select: { id: true, name: true } })
			await recordAuditEvent(tx, { organisationId, actorId, action: 'department.created', targetLabel: name })
			return department
		})
		.catch((error: unknown) => {
			// The same name added at the same moment by someone else.
			throw isUniqueConstraintError(error) ? taken : error
		})
}

async function findMembership(organisationId: string, membershipId: string) {
	const membership = await prisma.membership.findFirst({
		where: { id: membershipId, organisationId },
		select: {
			id: true,
			role: true,
			deactivatedAt: true,
			departmentId: true,
			department: { select: { name: true } },
			user: { select: { id: true, email: true } },
		},
	})
	if (!membership) throw notFound('That member is not in this organisation.')
	return membership
}

export const LAST_ADMIN_MESSAGE = 'Every organisation needs at least one active admin. Make someone else an admin first.'

/** Whether some active admin is left once the `leaving` memberships stop being admins or are deactivated. */
export const keepsAnAdmin = (activeAdminIds: readonly string[], leaving: ReadonlySet<string>) => activeAdminIds.some((id) => !leaving.has(id))

/**
 * An organisation must always keep one active admin, or nobody could manage it again. The admin
 * rows are locked until the transaction ends, so two admins demoting each other at the same
 * moment cannot both pass this check.
 */
export async function assertAdminsRemain(tx: Prisma.TransactionClient, organisationId: string, leavingMembershipIds: readonly string[]) {
	const admins = await tx.$queryRaw<Array<{ id: string }>>`
		SELECT "id" FROM "Membership"
		WHERE "organisationId" = ${organisationId} AND "role" = 'ADMIN' AND "deactivatedAt" IS NULL
		FOR UPDATE`
	if (!keepsAnAdmin(admins.map((admin) => admin.id), new Set(leavingMembershipIds))) throw new MemberChangeError(LAST_ADMIN_MESSAGE)
}

type Placement = { role: Role; departmentId: string | null }

/**
 * What moving a member to another role or department writes besides the two values, for the
 * members page and the CSV import alike: a requirement for a role or a department applies to the
 * member from the move on (null: unchanged), and department limits belong to the manager role,
 * so a later promotion starts unlimited.
 */
export function placementChange(current: Placement, next: Placement, at: Date) {
	return {
		roleSince: current.role !== next.role ? at : null,
		departmentSince: current.departmentId !== next.departmentId ? at : null,
		dropsManagerDepartments: current.role === 'MANAGER' && next.role !== 'MANAGER',
	}
}

type Audited = { role: Role; department: string | null }

/** The audit events of such a move: one for the role, one for the department, each only when it changed. */
export function placementAuditEvents(
	target: { organisationId: string; actorId: string; targetUserId: string; targetLabel: string },
	from: Audited,
	to: Audited,
): AuditEntry[] {
	return [
		...(from.role !== to.role ? [{ ...target, action: 'member.role_changed' as const, details: { from: ROLE_LABELS[from.role], to: ROLE_LABELS[to.role] } }] : []),
		...(from.department !== to.department ? [{ ...target, action: 'member.department_changed' as const, details: { from: from.department, to: to.department } }] : []),
	]
}

export async function updateMember({
	organisationId,
	actorId,
	membershipId,
	role,
	departmentId,
}: {
	organisationId: string
	actorId: string
	membershipId: string
	role: Role
	departmentId: string | null
}) {
	const membership = await findMembership(organisationId, membershipId)
	await assertDepartmentInOrganisation(organisationId, departmentId)

	return prisma.$transaction(async (tx) => {
		if (membership.role === 'ADMIN' && role !== 'ADMIN') await assertAdminsRemain(tx, organisationId, [membershipId])
		const change = placementChange(membership, { role, departmentId }, new Date())
		const result = await tx.membership.update({
			where: { id: membership.id },
			data: {
				role,
				departmentId,
				...(change.roleSince ? { roleSince: change.roleSince } : {}),
				...(change.departmentSince ? { departmentSince: change.departmentSince } : {}),
				...(change.dropsManagerDepartments ? { managedDepartments: { deleteMany: {} } } : {}),
			},
			select: { department: { select: { name: true } } },
		})
		await recordAuditEvents(
			tx,
			placementAuditEvents(
				{ organisationId, actorId, targetUserId: membership.user.id, targetLabel: membership.user.email },
				{ role: membership.role, department: membership.department?.name ?? null },
				{ role, department: result.department?.name ?? null },
			),
		)
		return result
	})
}

export async function setMemberActive({
	organisationId,
	actorId,
	membershipId,
	active,
}: {
	organisationId: string
	actorId: string
	membershipId: string
	active: boolean
}) {
	const membership = await findMembership(organisationId, membershipId)
	if (active === (membership.deactivatedAt === null)) return
	await prisma.$transaction(async (tx) => {
		if (!active && membership.role === 'ADMIN') await assertAdminsRemain(tx, organisationId, [membershipId])
		await tx.membership.update({
			where: { id: membership.id },
			data: { deactivatedAt: active ? null : new Date() },
			select: { id: true },
		})
		await recordAuditEvent(tx, {
			organisationId,
			actorId,
			action: active ? 'member.reactivated' : 'member.deactivated',
			targetUserId: membership.user.id,
			targetLabel: membership.user.email,
		})
	})
}

/**
 * Limits a manager to departments: they then see only those departments' members on the
 * compliance dashboard, its member pages and its export. No department means the whole organisation.
 */
export async function limitManagerToDepartments({
	organisationId,
	actorId,
	membershipId,
	departmentIds,
}: {
	organisationId: string
	actorId: string
	membershipId: string
	departmentIds: string[]
}) {
	const membership = await findMembership(organisationId, membershipId)
	if (membership.role !== 'MANAGER') throw new MemberChangeError('Only managers can be limited to departments.')
	const departments = await prisma.department.findMany({
		where: { organisationId, id: { in: departmentIds } },
		orderBy: { name: 'asc' },
		select: { id: true, name: true },
	})
	if (departments.length !== new Set(departmentIds).size) throw new MemberChangeError('That department does not exist in this organisation.')
	await prisma.$transaction(async (tx) => {
		await tx.managerDepartment.deleteMany({ where: { membershipId: membership.id } })
		await tx.managerDepartment.createMany({ data: departments.map((department) => ({ membershipId: membership.id, departmentId: department.id })) })
		await recordAuditEvent(tx, {
			organisationId,
			actorId,
			action: 'member.manager_departments_changed',
			targetUserId: membership.user.id,
			targetLabel: membership.user.email,
			details: { to: departments.length ? departments.map((department) => department.name).join(', ') : 'the whole organisation' },
		})
	})
}
