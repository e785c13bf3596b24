import { randomBytes } from 'node:crypto'
import { isUniqueConstraintError, prisma } from '#app/utils/db.server.ts'
import { recordAuditEvent } from './audit.server.ts'

export function slugify(name: string) {
	const slug = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 48)
	return slug || 'organisation'
}

async function uniqueSlug(name: string) {
	const base = slugify(name)
	const taken = new Set(
		(await prisma.organisation.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map(
			(organisation) => organisation.slug,
		),
	)
	let slug = base
	for (let suffix = 2; taken.has(slug); suffix++) slug = `${base}-${suffix}`
	return slug
}

/** The creator becomes the organisation's first admin. */
export async function createOrganisation({ userId, name }: { userId: string; name: string }) {
	// Organisations with one name created at the same moment race for one slug: after a
	// collision a random suffix makes a second collision practically impossible.
	for (let attempt = 1; ; attempt++) {
		const slug = attempt === 1 ? await uniqueSlug(name) : `${slugify(name)}-${randomBytes(3).toString('hex')}`
		try {
			return await prisma.$transaction(async (tx) => {
				const organisation = await tx.organisation.create({
					data: { name, slug, memberships: { create: { userId, role: 'ADMIN' } } },
					select: { id: true, slug: true, name: true },
				})
				await recordAuditEvent(tx, {
					organisationId: organisation.id,
					actorId: userId,
					action: 'organisation.created',
					targetLabel: name,
				})
				return organisation
			})
		} catch (error) {
			if (!isUniqueConstraintError(error) || attempt >= 5) throw error
		}
	}
}

export async function getOrganisationSummary(organisationId: string) {
	const [activeMembers, departments, openInvitations] = await Promise.all([
		prisma.membership.count({ where: { organisationId, deactivatedAt: null } }),
		prisma.department.count({ where: { organisationId } }),
		prisma.invitation.count({ where: { organisationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } } }),
	])
	return { activeMembers, departments, openInvitations }
}
