import type { Prisma } from '#app/generated/prisma/client.ts'
import type { Role } from '#app/generated/prisma/enums.ts'
import { isUniqueConstraintError, prisma } from '#app/utils/db.server.ts'
import { notFound } from '#app/utils/http.server.ts'
import { recordAuditEvent } from './audit.server.ts'
import type { ManagerScope } from './manager-scope.server.ts'
import { ROLE_LABELS } from './roles.ts'

export class MemberChangeError extends Error {}

/** The members the scope covers: a manager limited to departments sees theirs only. */
export function listMembers(scope: ManagerScope) {
	return prisma.membership.findMany({
		where: { organisationId: scope.organisationId, ...(scope.departmentIds ? { departmentId: { in: scope.departmentIds } } : {}) },
		orderBy: [{ deactivatedAt: { sort: 'desc', nulls: 'first' } }, { user: { name: 'asc' } }],
		select: {
			id: true,
			role: true,
			joinedAt: true,
			deactivatedAt: true,
			department: { select: { id: true, name: true } },
			user: { select: { id: true, name: true, email: true } },
			managedDepartments: { select: { departmentId: true } },
		},
	})
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

/**
 * An organisation must always keep one active admin, or nobody could manage it again. The admin
 * rows are locked until the transaction ends, so two admins demoting each other at the same
 * moment cannot both pass this check.
 */
export async function assertAnotherAdminRemains(tx: Prisma.TransactionClient, organisationId: string, membershipId: string) {
	const admins = await tx.$queryRaw<Array<{ id: string }>>`
		SELECT "id" FROM "Membership"
		WHERE "organisationId" = ${organisationId} AND "role" = 'ADMIN' AND "deactivatedAt" IS NULL
		FOR UPDATE`
	if (!admins.some((admin) => admin.id !== membershipId)) {
		throw new MemberChangeError('Every organisation needs at least one active admin. Make someone else an admin first.')
	}
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
		if (membership.role === 'ADMIN' && role !== 'ADMIN') await assertAnotherAdminRemains(tx, organisationId, membershipId)
		const result = await tx.membership.update({
			where: { id: membership.id },
			data: {
				role,
				departmentId,
				// A requirement for a role or a department applies to the member from the move on.
				...(membership.role !== role ? { roleSince: new Date() } : {}),
				...(membership.departmentId !== departmentId ? { departmentSince: new Date() } : {}),
				// Department limits belong to the manager role: a later promotion starts unlimited.
				...(membership.role === 'MANAGER' && role !== 'MANAGER' ? { managedDepartments: { deleteMany: {} } } : {}),
			},
			select: { department: { select: { name: true } } },
		})
		const target = { organisationId, actorId, targetUserId: membership.user.id, targetLabel: membership.user.email }
		if (membership.role !== role) {
			await recordAuditEvent(tx, {
				...target,
				action: 'member.role_changed',
				details: { from: ROLE_LABELS[membership.role], to: ROLE_LABELS[role] },
			})
		}
		if (membership.departmentId !== departmentId) {
			await recordAuditEvent(tx, {
				...target,
				action: 'member.department_changed',
				details: { from: membership.department?.name ?? null, to: result.department?.name ?? null },
			})
		}
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
		if (!active && membership.role === 'ADMIN') await assertAnotherAdminRemains(tx, organisationId, membershipId)
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
