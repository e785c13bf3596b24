import type { Role } from '#app/generated/prisma/enums.ts'
import { requireSession } from '#app/modules/auth/auth.server.ts'
import { hasSecondFactor } from '#app/modules/auth/mfa/factors.server.ts'
import { securitySetupPath } from '#app/modules/auth/mfa/login-challenge.server.ts'
import { MFA_MESSAGES } from '#app/modules/auth/mfa/messages.ts'
import { prisma } from '#app/utils/db.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { forbidden, notFound } from '#app/utils/http.server.ts'

/** The shape slugify() gives; anything else cannot be an organisation and is not looked up. */
const ORGANISATION_SLUG = /^[a-z0-9-]{1,64}$/

/**
 * The one gate for organisation pages: the organisation comes from the signed-in user's own active
 * membership, never from the URL alone. Anyone else gets 404, so not even its existence leaks.
 */
export async function requireMembership(
	request: Request,
	slug: string | undefined,
	{ allow, forbiddenMessage }: { allow?: (role: Role) => boolean; forbiddenMessage?: string } = {},
) {
	const session = await requireSession(request)
	const membership = slug && ORGANISATION_SLUG.test(slug)
		? await prisma.membership.findFirst({
				where: { userId: session.user.id, deactivatedAt: null, organisation: { slug } },
				select: {
					id: true,
					role: true,
					departmentId: true,
					organisation: { select: { id: true, slug: true, name: true, requireMfa: true } },
				},
			})
		: null
	if (!membership) throw notFound('We could not find that organisation among yours.')
	const { requireMfa, ...organisation } = membership.organisation
	// Before any page of an organisation that requires it, and before its actions: set a factor up first.
	if (requireMfa && !(await hasSecondFactor(session.user.id))) {
		const url = new URL(request.url)
		throw await redirectWithFlash(securitySetupPath(`${url.pathname}${url.search}`), { type: 'error', message: MFA_MESSAGES.mfaRequiredBy(organisation.name) })
	}
	if (allow && !allow(membership.role)) throw forbidden(forbiddenMessage)
	if (session.currentOrganisationId !== organisation.id) {
		await prisma.session.updateMany({
			where: { id: session.id },
			data: { currentOrganisationId: organisation.id },
		})
	}
	return { session, user: session.user, membership: { ...membership, organisation }, organisation }
}
