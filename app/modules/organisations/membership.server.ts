import type { Role } from '#app/generated/prisma/enums.ts'
import { requireSession } from '#app/modules/auth/auth.server.ts'
import { prisma } from '#app/utils/db.server.ts'
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
					organisation: { select: { id: true, slug: true, name: true } },
				},
			})
		: null
	if (!membership) throw notFound('We could not find that organisation among yours.')
	if (allow && !allow(membership.role)) throw forbidden(forbiddenMessage)
	if (session.currentOrganisationId !== membership.organisation.id) {
		await prisma.session.updateMany({
			where: { id: session.id },
			data: { currentOrganisationId: membership.organisation.id },
		})
	}
	return { session, user: session.user, membership, organisation: membership.organisation }
}
