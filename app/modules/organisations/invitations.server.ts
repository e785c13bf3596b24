import type { Prisma } from '#app/generated/prisma/client.ts'
import type { Role } from '#app/generated/prisma/enums.ts'
import { markEmailVerified } from '#app/modules/auth/email-verification.server.ts'
import { hashPassword } from '#app/modules/auth/password.server.ts'
import { generateToken, hashToken } from '#app/modules/auth/session-token.server.ts'
import { isUniqueConstraintError, prisma } from '#app/utils/db.server.ts'
import { type QueuedEmail, queueEmail, SECRET_LINK } from '#app/modules/mail/outbox.server.ts'
import { recordAuditEvent } from './audit.server.ts'
import { assertDepartmentInOrganisation, MemberChangeError } from './members.server.ts'
import { ROLE_LABELS } from './roles.ts'

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000

export const invitationUrl = (origin: string, token: string) => `${origin}/invitations/${token}`

/**
 * The invitation email for the outbox, its link (which holds the token) kept apart as the
 * message's secret link. Used for one invitation and for a CSV import's thousands alike.
 */
export function invitationEmail({
	organisationId,
	organisationName,
	inviterName,
	actorId,
	email,
	link,
	expiresAt,
}: {
	organisationId: string
	organisationName: string
	inviterName: string
	actorId: string
	email: string
	link: string
	expiresAt: Date
}): QueuedEmail {
	return {
		kind: 'INVITATION',
		organisationId,
		createdById: actorId,
		to: email,
		subject: `${inviterName} invited you to ${organisationName} on Bulwark`,
		text: [
			`${inviterName} invited you to join ${organisationName} on Bulwark, its security-awareness training.`,
			'',
			`Accept the invitation: ${SECRET_LINK}`,
			'',
			`The link works once and expires on ${expiresAt.toUTCString()}.`,
			'If you did not expect this email, you can ignore it.',
		].join('\n'),
		secretLink: { url: link, expiresAt },
	}
}

export async function createInvitation({
	organisationId,
	actorId,
	email,
	role,
	departmentId,
	origin,
}: {
	organisationId: string
	actorId: string
	email: string
	role: Role
	departmentId: string | null
	origin: string
}) {
	await assertDepartmentInOrganisation(organisationId, departmentId)
	const alreadyMember = await prisma.membership.findFirst({
		where: { organisationId, deactivatedAt: null, user: { email } },
		select: { id: true },
	})
	if (alreadyMember) throw new MemberChangeError(`${email} is already a member of this organisation.`)

	const token = generateToken()
	const link = invitationUrl(origin, token)
	// The invitation, its audit entry and its email are written together; the outbox worker sends it.
	const invitationId = await prisma.$transaction(async (tx) => {
		// A new invitation replaces any earlier open one for the same address.
		await tx.invitation.updateMany({
			where: { organisationId, email, acceptedAt: null, revokedAt: null },
			data: { revokedAt: new Date() },
		})
		const created = await tx.invitation.create({
			data: {
				organisationId,
				email,
				role,
				departmentId,
				tokenHash: hashToken(token),
				expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
				invitedById: actorId,
			},
			select: { id: true, expiresAt: true, organisation: { select: { name: true } }, invitedBy: { select: { name: true } } },
		})
		await recordAuditEvent(tx, {
			organisationId,
			actorId,
			action: 'invitation.created',
			targetLabel: email,
			details: { role: ROLE_LABELS[role] },
		})
		await queueEmail(
			tx,
			invitationEmail({
				organisationId,
				organisationName: created.organisation.name,
				inviterName: created.invitedBy.name,
				actorId,
				email,
				link,
				expiresAt: created.expiresAt,
			}),
		)
		return created.id
	})
	return { invitationId, link }
}

export function listOpenInvitations(organisationId: string) {
	return prisma.invitation.findMany({
		where: { organisationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
		orderBy: { createdAt: 'desc' },
		select: {
			id: true,
			email: true,
			role: true,
			expiresAt: true,
			createdAt: true,
			department: { select: { name: true } },
			invitedBy: { select: { name: true } },
		},
	})
}

export async function revokeInvitation({ organisationId, actorId, invitationId }: { organisationId: string; actorId: string; invitationId: string }) {
	await prisma.$transaction(async (tx) => {
		const invitation = await tx.invitation.findFirst({
			where: { id: invitationId, organisationId, acceptedAt: null, revokedAt: null },
			select: { id: true, email: true },
		})
		if (!invitation) throw new MemberChangeError('That invitation is no longer open.')
		await tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: new Date() }, select: { id: true } })
		await recordAuditEvent(tx, { organisationId, actorId, action: 'invitation.revoked', targetLabel: invitation.email })
	})
}

export type InvitationState = 'open' | 'expired' | 'used' | 'revoked'

/**
 * What the link in an invitation stands for, looked up by the token's hash. Inside a transaction
 * pass its client: on PGlite's single connection a query outside it would wait for it to end.
 */
export async function findInvitation(token: string, db: Prisma.TransactionClient = prisma) {
	const invitation = await db.invitation.findUnique({
		where: { tokenHash: hashToken(token) },
		select: {
			id: true,
			email: true,
			role: true,
			expiresAt: true,
			acceptedAt: true,
			revokedAt: true,
			organisation: { select: { id: true, name: true, slug: true } },
			invitedBy: { select: { name: true } },
		},
	})
	if (!invitation) return null
	const state: InvitationState = invitation.acceptedAt
		? 'used'
		: invitation.revokedAt
			? 'revoked'
			: invitation.expiresAt <= new Date()
				? 'expired'
				: 'open'
	return { ...invitation, state }
}

export class InvitationError extends Error {}

export const INVITATION_STATE_MESSAGES: Record<Exclude<InvitationState, 'open'>, string> = {
	used: 'This invitation has already been used. Each link works once; ask your admin for a new one if you need it.',
	revoked: 'This invitation was withdrawn. Ask your admin for a new one.',
	expired: 'This invitation has expired (links are valid for 7 days). Ask your admin for a new one.',
}

type Tx = Prisma.TransactionClient

/**
 * Claims the invitation for this email address with one conditional update, so two tabs (or two
 * people) using the same link cannot both succeed. Explains why when it cannot be claimed.
 */
async function claimInvitation(tx: Tx, token: string, email: string) {
	const tokenHash = hashToken(token)
	const claimed = await tx.invitation.updateMany({
		where: { tokenHash, email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
		data: { acceptedAt: new Date() },
	})
	if (claimed.count !== 1) {
		const invitation = await findInvitation(token, tx)
		if (!invitation) throw new InvitationError('This invitation link is not valid. Check that you copied the whole link.')
		if (invitation.state !== 'open') throw new InvitationError(INVITATION_STATE_MESSAGES[invitation.state])
		throw new InvitationError(`This invitation is for ${invitation.email}. Sign in with that address to accept it.`)
	}
	return tx.invitation.findUniqueOrThrow({
		where: { tokenHash },
		select: { organisationId: true, role: true, departmentId: true, organisation: { select: { slug: true } } },
	})
}

/**
 * Someone deactivated earlier comes back with the invitation's role and department, as a new
 * joining: their requirements apply from today, with the full days to complete them, rather than
 * from when they first joined (decision 017). An active member keeps the role an admin gave them since.
 * Either way their address counts as verified from now on (decision 028).
 */
async function joinOrganisation(tx: Tx, invitation: Awaited<ReturnType<typeof claimInvitation>>, user: { id: string; email: string }) {
	const existing = await tx.membership.findUnique({
		where: { organisationId_userId: { organisationId: invitation.organisationId, userId: user.id } },
		select: { id: true, deactivatedAt: true },
	})
	const granted = { role: invitation.role, departmentId: invitation.departmentId }
	// The invitation went to this address: opening it proves the person reads it.
	await markEmailVerified(tx, user.id)
	if (!existing) {
		await tx.membership.create({ data: { organisationId: invitation.organisationId, userId: user.id, ...granted }, select: { id: true } })
	} else if (existing.deactivatedAt) {
		const rejoinedAt = new Date()
		await tx.membership.update({
			where: { id: existing.id },
			data: { ...granted, deactivatedAt: null, joinedAt: rejoinedAt, roleSince: rejoinedAt, departmentSince: rejoinedAt },
			select: { id: true },
		})
	}
	await recordAuditEvent(tx, {
		organisationId: invitation.organisationId,
		actorId: user.id,
		action: 'invitation.accepted',
		targetUserId: user.id,
		targetLabel: user.email,
		details: { role: ROLE_LABELS[invitation.role] },
	})
	return { organisationSlug: invitation.organisation.slug }
}

/** Accepts for a signed-in user whose email address is the invited one. */
export async function acceptInvitation({ token, userId }: { token: string; userId: string }) {
	const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true } })
	return prisma.$transaction(async (tx) => joinOrganisation(tx, await claimInvitation(tx, token, user.email), user))
}

/** Creates the invited person's account and their membership together: both or neither. */
export async function acceptInvitationWithNewAccount({ token, name, password }: { token: string; name: string; password: string }) {
	const invitation = await findInvitation(token)
	if (!invitation) throw new InvitationError('This invitation link is not valid. Check that you copied the whole link.')
	if (invitation.state !== 'open') throw new InvitationError(INVITATION_STATE_MESSAGES[invitation.state])
	const passwordHash = await hashPassword(password)
	return prisma.$transaction(async (tx) => {
		const user = await tx.user
			.create({ data: { name, email: invitation.email, passwordHash }, select: { id: true, email: true } })
			.catch((error: unknown) => {
				if (isUniqueConstraintError(error)) throw new InvitationError('An account with this email address exists already. Log in to accept.')
				throw error
			})
		const joined = await joinOrganisation(tx, await claimInvitation(tx, token, user.email), user)
		return { userId: user.id, ...joined }
	})
}
