import type { Role } from '#app/generated/prisma/enums.ts'
import { generateToken, hashToken } from '#app/modules/auth/session-token.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { sendEmail } from '#app/utils/email.server.ts'
import { recordAuditEvent } from './audit.server.ts'
import { assertDepartmentInOrganisation, MemberChangeError } from './members.server.ts'
import { ROLE_LABELS } from './roles.ts'

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000

export const invitationUrl = (origin: string, token: string) => `${origin}/invitations/${token}`

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
	const invitation = await prisma.$transaction(async (tx) => {
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
		return created
	})

	const link = invitationUrl(origin, token)
	const emailed = await sendEmail({
		to: email,
		subject: `${invitation.invitedBy.name} invited you to ${invitation.organisation.name} on Bulwark`,
		text: [
			`${invitation.invitedBy.name} invited you to join ${invitation.organisation.name} on Bulwark, its security-awareness training.`,
			'',
			`Accept the invitation: ${link}`,
			'',
			`The link works once and expires on ${invitation.expiresAt.toUTCString()}.`,
			'If you did not expect this email, you can ignore it.',
		].join('\n'),
	}).catch((error: unknown) => {
		console.error('Sending the invitation email failed', error)
		return false
	})
	return { invitationId: invitation.id, link, emailed }
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

/** What the link in an invitation stands for, looked up by the token's hash. */
export async function findInvitation(token: string) {
	const invitation = await prisma.invitation.findUnique({
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

/**
 * Turns the invitation into a membership for the signed-in user. The conditional update claims
 * the invitation atomically, so two tabs accepting the same link cannot both succeed.
 */
export async function acceptInvitation({ token, userId }: { token: string; userId: string }) {
	const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } })
	return prisma.$transaction(async (tx) => {
		const claimed = await tx.invitation.updateMany({
			where: { tokenHash: hashToken(token), email: user.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
			data: { acceptedAt: new Date() },
		})
		if (claimed.count !== 1) {
			const invitation = await findInvitation(token)
			if (!invitation) throw new InvitationError('This invitation link is not valid. Check that you copied the whole link.')
			if (invitation.state !== 'open') throw new InvitationError(INVITATION_STATE_MESSAGES[invitation.state])
			throw new InvitationError(`This invitation is for ${invitation.email}. Sign in with that address to accept it.`)
		}
		const invitation = await tx.invitation.findUniqueOrThrow({
			where: { tokenHash: hashToken(token) },
			select: { organisationId: true, role: true, departmentId: true, organisation: { select: { slug: true } } },
		})
		// Someone deactivated earlier comes back with the role and department of the new invitation.
		await tx.membership.upsert({
			where: { organisationId_userId: { organisationId: invitation.organisationId, userId } },
			create: { organisationId: invitation.organisationId, userId, role: invitation.role, departmentId: invitation.departmentId },
			update: { role: invitation.role, departmentId: invitation.departmentId, deactivatedAt: null },
			select: { id: true },
		})
		await recordAuditEvent(tx, {
			organisationId: invitation.organisationId,
			actorId: userId,
			action: 'invitation.accepted',
			targetUserId: userId,
			targetLabel: user.email,
			details: { role: ROLE_LABELS[invitation.role] },
		})
		return { organisationSlug: invitation.organisation.slug }
	})
}
