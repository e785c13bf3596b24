import { hasSecondFactor } from '#app/modules/auth/mfa/factors.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { recordAuditEvent } from './audit.server.ts'

/** The organisation's rule and how many active members it would stop at their next page today. */
export async function describeMfaPolicy(organisationId: string) {
	const [organisation, membersWithoutFactor] = await Promise.all([
		prisma.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { requireMfa: true } }),
		prisma.membership.count({
			where: {
				organisationId,
				deactivatedAt: null,
				user: { passkeys: { none: {} }, OR: [{ totpCredential: { is: null } }, { totpCredential: { is: { confirmedAt: null } } }] },
			},
		}),
	])
	return { requireMfa: organisation.requireMfa, membersWithoutFactor }
}

/**
 * Turns the rule on or off, audit-logged. The admin turning it on must have a factor themselves,
 * or their next page would send them away from the setting they just changed.
 */
export async function setMfaRequirement({ organisationId, actorId, requireMfa }: { organisationId: string; actorId: string; requireMfa: boolean }) {
	if (requireMfa && !(await hasSecondFactor(actorId))) return { status: 'actor-without-factor' as const }
	await prisma.$transaction(async (tx) => {
		const { count } = await tx.organisation.updateMany({ where: { id: organisationId, requireMfa: !requireMfa }, data: { requireMfa } })
		if (count === 1) await recordAuditEvent(tx, { organisationId, actorId, action: requireMfa ? 'organisation.mfa_required' : 'organisation.mfa_optional' })
	})
	return { status: 'ok' as const }
}
