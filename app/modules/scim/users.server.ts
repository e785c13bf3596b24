import type { Prisma } from '#app/generated/prisma/client.ts'
import { hashUnknownPassword } from '#app/modules/auth/password.server.ts'
import { queueEmail } from '#app/modules/mail/outbox.server.ts'
import { recordAuditEvent } from '#app/modules/organisations/audit.server.ts'
import { assertAdminsRemain, MemberChangeError } from '#app/modules/organisations/members.server.ts'
import { isUniqueConstraintError, prisma } from '#app/utils/db.server.ts'
import { addedByProvisioningEmail } from './emails.ts'
import { ScimError } from './errors.ts'
import type { Comparison } from './filter.ts'
import { SCIM_MESSAGES } from './messages.ts'
import { applyPatch, type PatchOperation } from './patch.ts'
import { type MemberRecord, userResource } from './resources.ts'
import { isRecordId, parseScim, type ScimUserInput, ScimUserSchema } from './schemas.ts'
import { auditedAs, type ScimActor } from './tokens.server.ts'

// SCIM Users are memberships: an identity provider provisions people into one organisation, and
// its id for a person (externalId) is kept per membership. userName is the account's email.
// docs/decisions/027-scim-provisioning.md

const MEMBER_SELECT = {
	id: true,
	joinedAt: true,
	deactivatedAt: true,
	scimExternalId: true,
	role: true,
	provisionedAccount: true,
	department: { select: { id: true, name: true } },
	user: { select: { id: true, email: true, name: true, emailVerifiedAt: true, _count: { select: { memberships: true } } } },
} satisfies Prisma.MembershipSelect

type Member = Prisma.MembershipGetPayload<{ select: typeof MEMBER_SELECT }>

/** Reads a User body; a body that is not one is a 400 `invalidValue`. */
export const parseUser = (body: unknown): ScimUserInput => parseScim(ScimUserSchema, body)

function stringValue(comparison: Comparison) {
	if (typeof comparison.value !== 'string') throw new ScimError(400, SCIM_MESSAGES.invalidFilter, 'invalidFilter')
	return comparison.value
}

/** A filter's comparisons as a Prisma condition on memberships. */
function userCondition(comparison: Comparison): Prisma.MembershipWhereInput {
	const path = [comparison.attribute, comparison.subAttribute].filter(Boolean).join('.').toLowerCase()
	switch (path) {
		case 'username':
		case 'emails':
		case 'emails.value':
			return { user: { email: stringValue(comparison).toLowerCase() } }
		case 'externalid':
			return { scimExternalId: stringValue(comparison) }
		case 'id':
			return { id: stringValue(comparison) }
		case 'displayname':
			return { user: { name: { equals: stringValue(comparison), mode: 'insensitive' } } }
		case 'active':
			if (typeof comparison.value !== 'boolean') throw new ScimError(400, SCIM_MESSAGES.invalidFilter, 'invalidFilter')
			return { deactivatedAt: comparison.value ? null : { not: null } }
		default:
			throw new ScimError(400, SCIM_MESSAGES.invalidFilter, 'invalidFilter')
	}
}

export async function listUsers(actor: ScimActor, { filter, startIndex, count }: { filter: Comparison[]; startIndex: number; count: number }) {
	const where: Prisma.MembershipWhereInput = { organisationId: actor.organisationId, AND: filter.map(userCondition) }
	const [totalResults, members] = await Promise.all([
		prisma.membership.count({ where }),
		count === 0
			? Promise.resolve([])
			: prisma.membership.findMany({ where, orderBy: [{ joinedAt: 'asc' }, { id: 'asc' }], skip: startIndex - 1, take: count, select: MEMBER_SELECT }),
	])
	return { totalResults, members }
}

export async function getUser(actor: ScimActor, id: string): Promise<MemberRecord> {
	const member = isRecordId(id) ? await prisma.membership.findFirst({ where: { id, organisationId: actor.organisationId }, select: MEMBER_SELECT }) : null
	if (!member) throw new ScimError(404, SCIM_MESSAGES.userNotFound)
	return member
}

const NAME_MAX = 100

/** Bulwark keeps one name: the first of displayName, name.formatted, given and family name that says something new. */
function chooseName(input: ScimUserInput, current: string | null) {
	const { givenName, familyName, formatted } = input.name ?? {}
	// A given name alone is not a full name: a PATCH of name.givenName must not drop the family name.
	const joined = givenName && familyName ? `${givenName} ${familyName}` : undefined
	const candidates = [input.displayName, formatted, joined].filter((name): name is string => Boolean(name)).map((name) => name.slice(0, NAME_MAX))
	if (current === null) return candidates[0] ?? givenName ?? familyName ?? input.userName.split('@')[0] ?? input.userName
	return candidates.find((name) => name !== current) ?? current
}

/** A unique index refused the write: someone else got the userName or externalId first. */
function conflictOnUnique(error: unknown): never {
	if (isUniqueConstraintError(error)) throw new ScimError(409, SCIM_MESSAGES.uniquenessConflict, 'uniqueness')
	throw error
}

async function assertExternalIdFree(tx: Prisma.TransactionClient, organisationId: string, externalId: string | null | undefined, exceptId?: string) {
	if (!externalId) return
	const taken = await tx.membership.findFirst({ where: { organisationId, scimExternalId: externalId, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } })
	if (taken) throw new ScimError(409, SCIM_MESSAGES.externalIdTaken, 'uniqueness')
}

/**
 * Someone new gets an account without a usable password, and the membership; someone with a
 * Bulwark account already gets the membership and an email saying so. A person already in the
 * organisation is a 409: the client finds them with a filter instead (deactivated members too).
 * `origin` is where the email's sign-in link points.
 */
export async function createUser(actor: ScimActor, input: ScimUserInput, origin: string): Promise<MemberRecord> {
	const { organisationId } = actor
	const passwordHash = await hashUnknownPassword()
	return prisma
		.$transaction(async (tx) => {
			const existing = await tx.user.findUnique({
				where: { email: input.userName },
				select: { id: true, memberships: { where: { organisationId }, select: { id: true } } },
			})
			if (existing?.memberships.length) throw new ScimError(409, SCIM_MESSAGES.userNameTaken, 'uniqueness')
			await assertExternalIdFree(tx, organisationId, input.externalId)
			const user =
				existing ?? (await tx.user.create({ data: { email: input.userName, name: chooseName(input, null), passwordHash }, select: { id: true } }))
			const member = await tx.membership.create({
				data: {
					organisationId,
					userId: user.id,
					scimExternalId: input.externalId ?? null,
					provisionedAccount: !existing,
					deactivatedAt: input.active === false ? new Date() : null,
				},
				select: MEMBER_SELECT,
			})
			await recordAuditEvent(tx, { ...auditedAs(actor), action: 'member.provisioned', targetUserId: user.id, targetLabel: input.userName })
			if (existing) {
				const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true } })
				await queueEmail(tx, addedByProvisioningEmail({ organisationId, organisationName: organisation.name, membershipId: member.id, email: input.userName, origin }))
			}
			return member
		})
		.catch(conflictOnUnique)
}

/** What a PUT or PATCH asks the member to become; null externalId clears it. */
interface DesiredUser {
	input: ScimUserInput
	externalId: string | null
	active: boolean
}

async function changeUser(actor: ScimActor, id: string, desire: (member: Member) => DesiredUser): Promise<MemberRecord> {
	const { organisationId } = actor
	if (!isRecordId(id)) throw new ScimError(404, SCIM_MESSAGES.userNotFound)
	return prisma
		.$transaction(async (tx) => {
			const member = await tx.membership.findFirst({ where: { id, organisationId }, select: MEMBER_SELECT })
			if (!member) throw new ScimError(404, SCIM_MESSAGES.userNotFound)
			const { input, externalId, active } = desire(member)
			const target = { ...auditedAs(actor), targetUserId: member.user.id, targetLabel: member.user.email }
			const auditChange = (action: 'member.profile_changed' | 'member.external_id_changed', from: string | null, to: string | null) =>
				recordAuditEvent(tx, { ...target, action, details: { ...target.details, from, to } })

			// The account is the person's: its identity provider may edit it only when it made it, no
			// other organisation shares it and the person has not taken it over by confirming the
			// address (a reset or a confirmation link). Otherwise the name stays theirs, and a new email is refused.
			const ownsAccount = member.provisionedAccount && member.user._count.memberships === 1 && member.user.emailVerifiedAt === null
			const name = chooseName(input, member.user.name)
			if (input.userName !== member.user.email && !ownsAccount) throw new ScimError(400, SCIM_MESSAGES.emailNotProvisioned, 'mutability')
			if (input.userName !== member.user.email) {
				const taken = await tx.user.findUnique({ where: { email: input.userName }, select: { id: true } })
				if (taken) throw new ScimError(409, SCIM_MESSAGES.emailTakenByOtherAccount, 'uniqueness')
				await tx.user.update({ where: { id: member.user.id }, data: { email: input.userName }, select: { id: true } })
				await auditChange('member.profile_changed', member.user.email, input.userName)
			}
			if (ownsAccount && name !== member.user.name) {
				await tx.user.update({ where: { id: member.user.id }, data: { name }, select: { id: true } })
				await auditChange('member.profile_changed', member.user.name, name)
			}
			if (externalId !== member.scimExternalId) {
				await assertExternalIdFree(tx, organisationId, externalId, member.id)
				await tx.membership.update({ where: { id: member.id }, data: { scimExternalId: externalId }, select: { id: true } })
				await auditChange('member.external_id_changed', member.scimExternalId, externalId)
			}
			if (active !== (member.deactivatedAt === null)) await setActive(tx, actor, member, active)
			return tx.membership.findUniqueOrThrow({ where: { id: member.id }, select: MEMBER_SELECT })
		})
		.catch(conflictOnUnique)
}

/** Deactivating keeps the person's learning records (decision 011); the last active admin stays. */
async function setActive(tx: Prisma.TransactionClient, actor: ScimActor, member: Member, active: boolean) {
	if (!active && member.role === 'ADMIN') {
		await assertAdminsRemain(tx, actor.organisationId, [member.id]).catch((error: unknown) => {
			throw error instanceof MemberChangeError ? new ScimError(409, SCIM_MESSAGES.lastAdmin, 'mutability') : error
		})
	}
	await tx.membership.update({ where: { id: member.id }, data: { deactivatedAt: active ? null : new Date() }, select: { id: true } })
	await recordAuditEvent(tx, {
		...auditedAs(actor),
		action: active ? 'member.reactivated' : 'member.deactivated',
		targetUserId: member.user.id,
		targetLabel: member.user.email,
	})
}

const hasAttribute = (body: unknown, name: string) =>
	typeof body === 'object' && body !== null && Object.keys(body).some((key) => key.toLowerCase() === name.toLowerCase())

/**
 * PUT (Okta's way to update): the body is the whole user. externalId or active left out keep
 * what they were rather than being cleared: a client that does not map them must not unlink or
 * deactivate anyone by saying nothing.
 */
export function replaceUser(actor: ScimActor, id: string, body: unknown) {
	const input = parseUser(body)
	return changeUser(actor, id, (member) => ({
		input,
		externalId: hasAttribute(body, 'externalId') ? (input.externalId ?? null) : member.scimExternalId,
		active: input.active ?? member.deactivatedAt === null,
	}))
}

/** PATCH (Entra ID's way, and Okta's for active): the operations apply to the user as it is, and the result is stored as a PUT would be. */
export function patchUser(actor: ScimActor, id: string, operations: PatchOperation[]) {
	return changeUser(actor, id, (member) => {
		const input = parseUser(applyPatch(userResource(member, ''), operations))
		return { input, externalId: input.externalId ?? null, active: input.active ?? member.deactivatedAt === null }
	})
}

/** DELETE deactivates the membership: the person's learning records stay theirs (decision 011). */
export async function deleteUser(actor: ScimActor, id: string) {
	if (!isRecordId(id)) throw new ScimError(404, SCIM_MESSAGES.userNotFound)
	await prisma.$transaction(async (tx) => {
		const member = await tx.membership.findFirst({ where: { id, organisationId: actor.organisationId }, select: MEMBER_SELECT })
		if (!member) throw new ScimError(404, SCIM_MESSAGES.userNotFound)
		if (member.deactivatedAt === null) await setActive(tx, actor, member, false)
	})
}
