import { prisma } from '#app/utils/db.server.ts'

/** The user's second factors: a confirmed authenticator app and their passkeys. */
export async function secondFactorsOf(userId: string) {
	const [totp, passkeys] = await Promise.all([
		prisma.totpCredential.count({ where: { userId, confirmedAt: { not: null } } }),
		prisma.passkey.count({ where: { userId } }),
	])
	return { totp: totp > 0, passkeys }
}

export async function hasSecondFactor(userId: string) {
	const factors = await secondFactorsOf(userId)
	return factors.totp || factors.passkeys > 0
}

/** The organisations the user is an active member of that require a second factor of their members. */
export function organisationsRequiringMfa(userId: string) {
	return prisma.organisation.findMany({
		where: { requireMfa: true, memberships: { some: { userId, deactivatedAt: null } } },
		orderBy: { name: 'asc' },
		select: { slug: true, name: true },
	})
}

/**
 * Refuses to remove a factor when it is the user's last and an organisation they belong to
 * requires one: they would be locked out of it at their next request.
 */
export async function mayRemoveFactor(userId: string, remove: { totp?: boolean; passkeyId?: string }) {
	const factors = await secondFactorsOf(userId)
	const remaining = (factors.totp && !remove.totp ? 1 : 0) + factors.passkeys - (remove.passkeyId ? 1 : 0)
	if (remaining > 0) return true
	return (await organisationsRequiringMfa(userId)).length === 0
}
