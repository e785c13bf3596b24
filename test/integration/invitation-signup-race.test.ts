import { afterEach, describe, expect, test, vi } from 'vitest'
import {
	acceptInvitationWithNewAccount,
	createInvitation,
	INVITATION_STATE_MESSAGES,
	InvitationError,
	revokeInvitation,
} from '#app/modules/organisations/invitations.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createOrganisationWithAdmin, invitationTokenFromLink, uniqueEmail } from '#tests/fixtures/users.ts'

/**
 * acceptInvitationWithNewAccount checks the invitation, hashes the password (tens of milliseconds),
 * then creates the user and claims the invitation in one transaction. A hook in hashPassword lets a
 * test change the invitation in exactly that gap, as an admin revoking it at that moment would.
 */
const hooks = vi.hoisted(() => ({ beforeHash: null as null | (() => Promise<void>) }))

vi.mock('#app/modules/auth/password.server.ts', async (importOriginal) => {
	const original = await importOriginal<typeof import('#app/modules/auth/password.server.ts')>()
	return {
		...original,
		hashPassword: async (password: string) => {
			const hook = hooks.beforeHash
			hooks.beforeHash = null
			if (hook) await hook()
			return original.hashPassword(password)
		},
	}
})

afterEach(() => {
	hooks.beforeHash = null
})

const NEW_ACCOUNT_PASSWORD = 'marble otters collect rusty compasses'

async function openInvitation() {
	const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'signup-race' })
	const email = uniqueEmail('invitee')
	const { link, invitationId } = await createInvitation({ organisationId: organisation.id, actorId: admin.id, email, role: 'LEARNER', departmentId: null, origin: 'http://localhost' })
	return { organisation, admin, email, invitationId, token: invitationTokenFromLink(link) }
}

async function expectNothingCreated(organisationId: string, email: string, invitationId: string) {
	expect(await prisma.user.count({ where: { email } })).toBe(0)
	expect(await prisma.membership.count({ where: { organisationId, user: { email } } })).toBe(0)
	expect((await prisma.invitation.findUniqueOrThrow({ where: { id: invitationId } })).acceptedAt).toBeNull()
	expect(await prisma.auditEvent.count({ where: { organisationId, action: 'invitation.accepted' } })).toBe(0)
}

describe('an invitation that stops being open between the check and the claim', () => {
	test('revoked in the gap: InvitationError with the revoked message, and no user is created', async () => {
		const { organisation, admin, email, invitationId, token } = await openInvitation()
		let hookRan = false
		hooks.beforeHash = async () => {
			await revokeInvitation({ organisationId: organisation.id, actorId: admin.id, invitationId })
			hookRan = true
		}

		const error = await acceptInvitationWithNewAccount({ token, name: 'Racing Revoke', password: NEW_ACCOUNT_PASSWORD }).catch((caught: unknown) => caught)

		expect(hookRan).toBe(true)
		expect(error).toBeInstanceOf(InvitationError)
		expect((error as Error).message).toBe(INVITATION_STATE_MESSAGES.revoked)
		await expectNothingCreated(organisation.id, email, invitationId)
	})

	test('expired in the gap: InvitationError with the expired message, and no user is created', async () => {
		const { organisation, email, invitationId, token } = await openInvitation()
		let hookRan = false
		hooks.beforeHash = async () => {
			await prisma.invitation.update({ where: { id: invitationId }, data: { expiresAt: new Date(Date.now() - 1000) }, select: { id: true } })
			hookRan = true
		}

		const error = await acceptInvitationWithNewAccount({ token, name: 'Racing Expiry', password: NEW_ACCOUNT_PASSWORD }).catch((caught: unknown) => caught)

		expect(hookRan).toBe(true)
		expect(error).toBeInstanceOf(InvitationError)
		expect((error as Error).message).toBe(INVITATION_STATE_MESSAGES.expired)
		await expectNothingCreated(organisation.id, email, invitationId)
	})

	test('used by a parallel sign-up in the gap: the second fails and only one user exists', async () => {
		const { organisation, email, invitationId, token } = await openInvitation()
		// The first call's hash starts the second call, which runs to completion in the gap.
		let second: Promise<unknown> | undefined
		hooks.beforeHash = async () => {
			second = acceptInvitationWithNewAccount({ token, name: 'Second Tab', password: NEW_ACCOUNT_PASSWORD })
			await second
		}

		const first = await acceptInvitationWithNewAccount({ token, name: 'First Tab', password: NEW_ACCOUNT_PASSWORD }).catch((caught: unknown) => caught)

		await expect(second).resolves.toMatchObject({ organisationSlug: organisation.slug })
		expect(first).toBeInstanceOf(InvitationError)
		const users = await prisma.user.findMany({ where: { email }, select: { name: true } })
		expect(users).toEqual([{ name: 'Second Tab' }])
		expect(await prisma.membership.count({ where: { organisationId: organisation.id, user: { email } } })).toBe(1)
		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: invitationId } })).acceptedAt).not.toBeNull()
	})
})
