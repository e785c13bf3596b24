import type { Prisma } from '#app/generated/prisma/client.ts'
import { recordAuditEvent } from '#app/modules/organisations/audit.server.ts'
import { isUniqueConstraintError, prisma } from '#app/utils/db.server.ts'
import { ScimError } from './errors.ts'
import { type AttributePath, type Comparison, parseAttributePath } from './filter.ts'
import { SCIM_MESSAGES } from './messages.ts'
import type { PatchOperation } from './patch.ts'
import type { DepartmentRecord } from './resources.ts'
import { GroupNameSchema, isRecordId, OptionalText, parseScim, type ScimGroupInput, ScimMembersSchema } from './schemas.ts'
import { auditedAs, type ScimActor } from './tokens.server.ts'

// SCIM Groups are departments; a group's members are the memberships in the department. A member
// is in one department at a time, so adding them to a group moves them out of the one they were
// in (the last change wins). docs/decisions/027-scim-provisioning.md

const DEPARTMENT_SELECT = { id: true, name: true, createdAt: true, scimExternalId: true } satisfies Prisma.DepartmentSelect

const WITH_MEMBERS_SELECT = {
	...DEPARTMENT_SELECT,
	memberships: { orderBy: { joinedAt: 'asc' }, select: { id: true, user: { select: { email: true } } } },
} as const satisfies Prisma.DepartmentSelect

type Tx = Prisma.TransactionClient
type Department = { id: string; name: string; scimExternalId: string | null }

function stringValue(comparison: Comparison) {
	if (typeof comparison.value !== 'string') throw new ScimError(400, SCIM_MESSAGES.invalidFilter, 'invalidFilter')
	return comparison.value
}

function groupCondition(comparison: Comparison): Prisma.DepartmentWhereInput {
	const path = [comparison.attribute, comparison.subAttribute].filter(Boolean).join('.').toLowerCase()
	switch (path) {
		case 'displayname':
			return { name: { equals: stringValue(comparison), mode: 'insensitive' } }
		case 'externalid':
			return { scimExternalId: stringValue(comparison) }
		case 'id':
			return { id: stringValue(comparison) }
		case 'members':
		case 'members.value':
			return { memberships: { some: { id: stringValue(comparison) } } }
		default:
			throw new ScimError(400, SCIM_MESSAGES.invalidFilter, 'invalidFilter')
	}
}

const PAGE_ORDER: Prisma.DepartmentOrderByWithRelationInput[] = [{ createdAt: 'asc' }, { id: 'asc' }]

export async function listGroups(
	actor: ScimActor,
	{ filter, startIndex, count, withMembers }: { filter: Comparison[]; startIndex: number; count: number; withMembers: boolean },
) {
	const where: Prisma.DepartmentWhereInput = { organisationId: actor.organisationId, AND: filter.map(groupCondition) }
	const [totalResults, departments] = await Promise.all([
		prisma.department.count({ where }),
		count === 0
			? Promise.resolve([])
			: withMembers
				? prisma.department.findMany({ where, orderBy: PAGE_ORDER, skip: startIndex - 1, take: count, select: WITH_MEMBERS_SELECT })
				: prisma.department.findMany({ where, orderBy: PAGE_ORDER, skip: startIndex - 1, take: count, select: DEPARTMENT_SELECT }),
	])
	return { totalResults, departments: departments satisfies DepartmentRecord[] }
}

async function findDepartment(db: Tx | typeof prisma, actor: ScimActor, id: string, withMembers = false): Promise<DepartmentRecord> {
	const where = { id, organisationId: actor.organisationId }
	const department = !isRecordId(id)
		? null
		: withMembers
			? await db.department.findFirst({ where, select: WITH_MEMBERS_SELECT })
			: await db.department.findFirst({ where, select: DEPARTMENT_SELECT })
	if (!department) throw new ScimError(404, SCIM_MESSAGES.groupNotFound)
	return department
}

export const getGroup = (actor: ScimActor, id: string, withMembers: boolean) => findDepartment(prisma, actor, id, withMembers)

async function assertNameFree(tx: Tx, actor: ScimActor, name: string, exceptId?: string) {
	const taken = await tx.department.findFirst({
		where: { organisationId: actor.organisationId, name: { equals: name, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
		select: { id: true },
	})
	if (taken) throw new ScimError(409, SCIM_MESSAGES.groupNameTaken, 'uniqueness')
}

async function setExternalId(tx: Tx, actor: ScimActor, department: Department, externalId: string | null) {
	if (externalId === department.scimExternalId) return
	if (externalId) {
		const taken = await tx.department.findFirst({
			where: { organisationId: actor.organisationId, scimExternalId: externalId, id: { not: department.id } },
			select: { id: true },
		})
		if (taken) throw new ScimError(409, SCIM_MESSAGES.groupExternalIdTaken, 'uniqueness')
	}
	await tx.department.update({ where: { id: department.id }, data: { scimExternalId: externalId }, select: { id: true } })
	department.scimExternalId = externalId
}

async function rename(tx: Tx, actor: ScimActor, department: Department, name: string) {
	if (name === department.name) return
	await assertNameFree(tx, actor, name, department.id)
	await tx.department.update({ where: { id: department.id }, data: { name }, select: { id: true } })
	await recordAuditEvent(tx, { ...auditedAs(actor), action: 'department.renamed', targetLabel: name, details: { ...auditedAs(actor).details, from: department.name, to: name } })
	department.name = name
}

/** Moves members into or out of a department, as an admin's change would: from now on, and audit-logged per member. */
async function moveMembers(tx: Tx, actor: ScimActor, members: Array<{ id: string; department: { name: string } | null; user: { id: string; email: string } }>, to: Department | null) {
	for (const member of members) {
		await tx.membership.update({ where: { id: member.id }, data: { departmentId: to?.id ?? null, departmentSince: new Date() }, select: { id: true } })
		await recordAuditEvent(tx, {
			...auditedAs(actor),
			action: 'member.department_changed',
			targetUserId: member.user.id,
			targetLabel: member.user.email,
			details: { ...auditedAs(actor).details, from: member.department?.name ?? null, to: to?.name ?? null },
		})
	}
}

const MEMBER_FOR_MOVE = { id: true, departmentId: true, department: { select: { name: true } }, user: { select: { id: true, email: true } } } as const

/** Every id must be a member of this organisation: a group naming someone else changes nothing. */
async function addMembers(tx: Tx, actor: ScimActor, department: Department, ids: string[]) {
	const unique = [...new Set(ids)]
	if (!unique.every(isRecordId)) throw new ScimError(400, SCIM_MESSAGES.groupMembersUnknown, 'invalidValue')
	const members = await tx.membership.findMany({ where: { organisationId: actor.organisationId, id: { in: unique } }, select: MEMBER_FOR_MOVE })
	if (members.length !== unique.length) throw new ScimError(400, SCIM_MESSAGES.groupMembersUnknown, 'invalidValue')
	await moveMembers(tx, actor, members.filter((member) => member.departmentId !== department.id), department)
}

/** Removing someone who is not in the group (any more) is done already: clients repeat removals. */
async function removeMembers(tx: Tx, actor: ScimActor, department: Department, ids: string[] | 'all') {
	const members = await tx.membership.findMany({
		where: { organisationId: actor.organisationId, departmentId: department.id, ...(ids === 'all' ? {} : { id: { in: ids } }) },
		select: MEMBER_FOR_MOVE,
	})
	await moveMembers(tx, actor, members, null)
}

async function replaceMembers(tx: Tx, actor: ScimActor, department: Department, ids: string[]) {
	const current = await tx.membership.findMany({ where: { organisationId: actor.organisationId, departmentId: department.id }, select: { id: true } })
	const leaving = current.map((member) => member.id).filter((id) => !ids.includes(id))
	await removeMembers(tx, actor, department, leaving)
	await addMembers(tx, actor, department, ids)
}

function withUniqueAnswers<Result>(work: Promise<Result>) {
	return work.catch((error: unknown) => {
		// Someone else created the same name or externalId at the same moment.
		if (isUniqueConstraintError(error)) throw new ScimError(409, SCIM_MESSAGES.groupNameTaken, 'uniqueness')
		throw error
	})
}

export function createGroup(actor: ScimActor, input: ScimGroupInput) {
	return withUniqueAnswers(
		prisma.$transaction(async (tx) => {
			await assertNameFree(tx, actor, input.displayName)
			const created = await tx.department.create({ data: { organisationId: actor.organisationId, name: input.displayName }, select: { id: true, name: true, scimExternalId: true } })
			await setExternalId(tx, actor, created, input.externalId ?? null)
			await recordAuditEvent(tx, { ...auditedAs(actor), action: 'department.created', targetLabel: created.name })
			if (input.members) await addMembers(tx, actor, created, input.members)
			return findDepartment(tx, actor, created.id, true)
		}),
	)
}

/** PUT: a new name; externalId and members only when the body has them, so a PUT without members does not empty the department. */
export function replaceGroup(actor: ScimActor, id: string, input: ScimGroupInput, body: Record<string, unknown>) {
	const has = (name: string) => Object.keys(body).some((key) => key.toLowerCase() === name.toLowerCase())
	return withUniqueAnswers(
		prisma.$transaction(async (tx) => {
			const department = await findDepartment(tx, actor, id)
			await rename(tx, actor, department, input.displayName)
			if (has('externalId')) await setExternalId(tx, actor, department, input.externalId ?? null)
			if (input.members) await replaceMembers(tx, actor, department, input.members)
			return findDepartment(tx, actor, id, true)
		}),
	)
}

/** The `value` in a filtered path like `members[value eq "…"]`. */
function filteredIds(path: AttributePath) {
	const ids = (path.valueFilter ?? []).filter((comparison) => comparison.attribute.toLowerCase() === 'value').map((comparison) => comparison.value)
	if (ids.length === 0 || !ids.every((id): id is string => typeof id === 'string')) throw new ScimError(400, SCIM_MESSAGES.invalidPath, 'invalidPath')
	return ids
}

async function applyGroupOperation(tx: Tx, actor: ScimActor, department: Department, op: PatchOperation['op'], path: AttributePath, value: unknown) {
	switch (path.attribute.toLowerCase()) {
		case 'displayname':
			if (op === 'remove' || path.valueFilter || path.subAttribute) throw new ScimError(400, SCIM_MESSAGES.invalidPath, 'invalidPath')
			return rename(tx, actor, department, parseScim(GroupNameSchema, value))
		case 'externalid':
			return setExternalId(tx, actor, department, op === 'remove' ? null : (parseScim(OptionalText, value) ?? null))
		case 'members':
			if (path.valueFilter) {
				if (op !== 'remove' || path.subAttribute) throw new ScimError(400, SCIM_MESSAGES.invalidPath, 'invalidPath')
				return removeMembers(tx, actor, department, filteredIds(path))
			}
			if (op === 'remove') return removeMembers(tx, actor, department, value === undefined ? 'all' : parseScim(ScimMembersSchema, value))
			if (op === 'add') return addMembers(tx, actor, department, parseScim(ScimMembersSchema, value))
			return replaceMembers(tx, actor, department, parseScim(ScimMembersSchema, value))
		// Okta's rename sends the group's id (and schemas) along in the value: nothing to change.
		case 'id':
		case 'schemas':
		case 'meta':
			return
		default:
			throw new ScimError(400, SCIM_MESSAGES.invalidPath, 'invalidPath')
	}
}

/**
 * PATCH: rename, externalId, and members added (`add` with a list), removed (`remove` with
 * `members[value eq "…"]` or a list) or replaced; all in one transaction, so a refused operation
 * leaves the group as it was.
 */
export function patchGroup(actor: ScimActor, id: string, operations: PatchOperation[], withMembers: boolean) {
	return withUniqueAnswers(
		prisma.$transaction(async (tx) => {
			const department = await findDepartment(tx, actor, id)
			for (const { op, path, value } of operations) {
				if (path !== undefined) {
					await applyGroupOperation(tx, actor, department, op, parseAttributePath(path), value)
					continue
				}
				if (op === 'remove') throw new ScimError(400, SCIM_MESSAGES.noTarget, 'noTarget')
				if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScimError(400, SCIM_MESSAGES.patchValueNeeded, 'invalidValue')
				for (const [attributePath, attributeValue] of Object.entries(value)) {
					await applyGroupOperation(tx, actor, department, op, parseAttributePath(attributePath), attributeValue)
				}
			}
			return findDepartment(tx, actor, id, withMembers)
		}),
	)
}

/**
 * DELETE: its members leave the department and it is deleted, unless a training requirement or
 * a manager's limits refer to it: deleting it would silently change who must train or what a
 * manager sees, so that is left to an admin.
 */
export async function deleteGroup(actor: ScimActor, id: string) {
	await prisma.$transaction(async (tx) => {
		const department = await findDepartment(tx, actor, id)
		const requirements = await tx.requirementDepartment.count({ where: { departmentId: department.id } })
		const managers = await tx.managerDepartment.count({ where: { departmentId: department.id } })
		if (requirements + managers > 0) throw new ScimError(409, SCIM_MESSAGES.groupInUse)
		await removeMembers(tx, actor, department, 'all')
		await tx.department.delete({ where: { id: department.id }, select: { id: true } })
		await recordAuditEvent(tx, { ...auditedAs(actor), action: 'department.deleted', targetLabel: department.name })
	})
}
