import { afterEach, describe, expect, test } from 'vitest'
import { ACCOUNT_MESSAGES } from '#app/modules/auth/account-messages.ts'
import { findOpenAccountToken, issueAccountToken } from '#app/modules/auth/account-tokens.server.ts'
import { verifyPassword } from '#app/modules/auth/password.server.ts'
import { deleteExpiredRecords } from '#app/modules/maintenance/cleanup.server.ts'
import { SECRET_LINK } from '#app/modules/mail/outbox.server.ts'
import { acceptInvitation, acceptInvitationWithNewAccount, createInvitation } from '#app/modules/organisations/invitations.server.ts'
import { loader as rootLoader } from '#app/root.tsx'
import { action as orgsNewAction, loader as orgsNewLoader } from '#app/routes/orgs.new.tsx'
import { action as signupAction } from '#app/routes/signup.tsx'
import { action as verifyEmailAction } from '#app/routes/verify-email._index.tsx'
import { loader as verifyLinkLoader } from '#app/routes/verify-email.$token.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { startSmtpSink } from '#tests/fixtures/smtp.ts'
import {
	createOrganisationWithAdmin,
	createSessionCookie,
	createUser,
	expectData,
	expectRedirect,
	getRequest,
	headersOf,
	invitationTokenFromLink,
	postRequest,
	randomId,
	routeContext,
	sessionCookieFrom,
	uniqueEmail,
	uniqueIp,
} from '#tests/fixtures/users.ts'

// Messages are read from the outbox, never delivered here (see password-reset.test.ts).
const NEW_PASSWORD = 'amber canyon beneath quiet harbours'

let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined
afterEach(async () => {
	await sink?.stop()
	sink = undefined
})
const emailOn = async () => {
	sink = await startSmtpSink()
}

const signup = (fields: Record<string, string>) => signupAction({ request: postRequest('/signup', fields), params: {}, context: routeContext(uniqueIp()) })
const verifyEmail = (fields: Record<string, string>, cookie?: string) =>
	verifyEmailAction({ request: postRequest('/verify-email', fields, { cookie }), params: {}, context: routeContext() })
const openLink = (token: string) => verifyLinkLoader({ request: getRequest(`/verify-email/${token}`), params: { token }, context: routeContext() })
const rootData = async (cookie: string) => {
	const result = await rootLoader({ request: getRequest('/dashboard', { cookie }), params: {}, context: routeContext() })
	return expectData(result, 200).data
}
const verifiedAt = async (userId: string) => (await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { emailVerifiedAt: true } })).emailVerifiedAt
const messagesTo = (to: string) => prisma.outboxMessage.findMany({ where: { to }, select: { kind: true, organisationId: true, subject: true, text: true } })

describe('sign-up with email set up', () => {
	test('a new address and a taken one get the same answer; only the new one gets an unconfirmed account and a link', async () => {
		await emailOn()
		const existing = await createUser({ prefix: 'owner' })
		const fresh = uniqueEmail('fresh')

		const created = expectData(await signup({ name: 'Fresh Person', email: fresh, password: NEW_PASSWORD }), 200)
		const taken = expectData(await signup({ name: 'Someone Else', email: existing.email, password: NEW_PASSWORD }), 200)
		expect(created.data.result).toEqual(taken.data.result)
		expect(Object.keys(created.data)).toEqual(Object.keys(taken.data))
		expect(created.data.sentTo).toBe(fresh)
		expect(taken.data.sentTo).toBe(existing.email)
		// No session for either: the link has to be opened first.
		expect(sessionCookieFrom(created)).toBeNull()
		expect(sessionCookieFrom(taken)).toBeNull()

		const user = await prisma.user.findUniqueOrThrow({ where: { email: fresh }, select: { id: true, emailVerifiedAt: true, passwordHash: true } })
		expect(user.emailVerifiedAt).toBeNull()
		expect(await verifyPassword(user.passwordHash, NEW_PASSWORD)).toBe(true)
		expect(await prisma.accountToken.count({ where: { userId: user.id, purpose: 'VERIFY', usedAt: null } })).toBe(1)
		const [welcome] = await messagesTo(fresh)
		expect(welcome).toMatchObject({ kind: 'ACCOUNT', organisationId: null, subject: 'Confirm your email address for Bulwark' })
		expect(welcome!.text).toContain(SECRET_LINK)

		// The owner of the taken address is told by email; their account is as it was.
		const unchanged = await prisma.user.findUniqueOrThrow({ where: { id: existing.id }, select: { name: true, passwordHash: true } })
		expect(unchanged.name).toBe(existing.name)
		expect(await verifyPassword(unchanged.passwordHash, existing.password)).toBe(true)
		const [notice] = await messagesTo(existing.email)
		expect(notice).toMatchObject({ kind: 'ACCOUNT', organisationId: null, subject: 'Someone tried to create a Bulwark account with your address' })
		expect(notice!.text).toContain('http://localhost/forgot-password')
		expect(await prisma.accountToken.count({ where: { userId: existing.id } })).toBe(0)
	})

	test('limited per address: the fourth sign-up in an hour answers 429 whether or not the address has an account', async () => {
		await emailOn()
		const existing = await createUser({ prefix: 'owner-limit' })
		const answers = []
		for (const email of [existing.email, uniqueEmail('fresh-limit')]) {
			for (let attempt = 1; attempt <= 3; attempt++) expectData(await signup({ name: 'Limit Tester', email, password: NEW_PASSWORD }), 200)
			answers.push(expectData(await signup({ name: 'Limit Tester', email, password: NEW_PASSWORD }), 429))
		}
		expect(answers[0]!.data.result.error).toEqual(answers[1]!.data.result.error)
		expect(answers[0]!.data.result.error[''][0]).toMatch(/Too many sign-ups with this email address/)
		expect(await messagesTo(existing.email)).toHaveLength(3)
	})
})

describe('confirming an address', () => {
	test('opening the link changes nothing; the button confirms once, then log-in asks for the password', async () => {
		const user = await createUser({ prefix: 'confirm' })
		const { token } = await issueAccountToken(prisma, user.id, 'VERIFY')
		for (let fetch = 0; fetch < 3; fetch++) expect(await openLink(token)).toEqual({ email: user.email, problem: null })
		expect(await verifiedAt(user.id)).toBeNull()

		expectRedirect(await verifyEmail({ intent: 'confirm', token }), '/login')
		expect(await verifiedAt(user.id)).not.toBeNull()
		const again = expectData(await verifyEmail({ intent: 'confirm', token }), 410)
		expect(again.data.result.error['']).toEqual([ACCOUNT_MESSAGES.verifyLinkInvalid])
		expectData(await openLink(token), 410)
	})

	test('signed in, the banner shows until the link is confirmed, and then the dashboard says so', async () => {
		const user = await createUser({ prefix: 'banner' })
		const { cookie } = await createSessionCookie(user.id)
		expect((await rootData(cookie)).user).toMatchObject({ email: user.email, emailVerified: false })
		const { token } = await issueAccountToken(prisma, user.id, 'VERIFY')
		expectRedirect(await verifyEmail({ intent: 'confirm', token }, cookie), '/dashboard')
		// The session is read again (the embedded database's cache heard of the change).
		expect((await rootData(cookie)).user).toMatchObject({ emailVerified: true })
	})

	test('an expired link confirms nothing', async () => {
		const user = await createUser({ prefix: 'confirm-late' })
		const { token } = await issueAccountToken(prisma, user.id, 'VERIFY', new Date(Date.now() - 49 * 60 * 60 * 1000))
		expectData(await openLink(token), 410)
		expectData(await verifyEmail({ intent: 'confirm', token }), 410)
		expect(await verifiedAt(user.id)).toBeNull()
	})

	test('a new link replaces the earlier one; asking is limited to 3 an hour and needs email set up', async () => {
		const user = await createUser({ prefix: 'resend' })
		const { cookie } = await createSessionCookie(user.id)
		const resend = () => verifyEmail({ intent: 'resend', redirectTo: '/courses' }, cookie)
		expectRedirect(await resend(), '/courses')
		expect(await prisma.accountToken.count({ where: { userId: user.id } })).toBe(0)

		await emailOn()
		const earlier = await issueAccountToken(prisma, user.id, 'VERIFY')
		for (let attempt = 1; attempt <= 3; attempt++) expectRedirect(await resend(), '/courses')
		expectData(await openLink(earlier.token), 410)
		expect(await prisma.accountToken.count({ where: { userId: user.id, usedAt: null } })).toBe(1)
		expect((await messagesTo(user.email)).map((message) => message.subject)).toEqual(Array(3).fill('Confirm your email address for Bulwark'))
		const refused = expectData(await resend(), 429)
		expect(refused.data.result.error[''][0]).toMatch(/Too many confirmation links asked for/)
		expect(Number(headersOf(refused).get('Retry-After'))).toBeGreaterThan(0)
	})
})

describe('what a confirmed address allows', () => {
	test('with email set up, an unconfirmed account cannot create an organisation (403); a confirmed one can', async () => {
		await emailOn()
		const user = await createUser({ prefix: 'founder' })
		const { cookie } = await createSessionCookie(user.id)
		const create = () => orgsNewAction({ request: postRequest('/orgs/new', { name: `Founded ${randomId()}` }, { cookie }), params: {}, context: routeContext() })
		expect(await orgsNewLoader({ request: getRequest('/orgs/new', { cookie }), params: {}, context: routeContext() })).toEqual({ mayCreate: false })
		const refused = expectData(await create(), 403)
		expect(refused.data.result.error['']).toEqual([ACCOUNT_MESSAGES.organisationNeedsVerifiedEmail])
		expect(await prisma.membership.count({ where: { userId: user.id } })).toBe(0)

		await prisma.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() }, select: { id: true } })
		expectRedirect(await create())
		expect(await prisma.membership.count({ where: { userId: user.id, role: 'ADMIN' } })).toBe(1)
	})

	test('without email set up nobody could confirm, so an unconfirmed account may create one', async () => {
		const user = await createUser({ prefix: 'founder-no-mail' })
		const { cookie } = await createSessionCookie(user.id)
		expectRedirect(await orgsNewAction({ request: postRequest('/orgs/new', { name: `Founded ${randomId()}` }, { cookie }), params: {}, context: routeContext() }))
	})

	test('accepting an invitation confirms the address, with an existing account or a new one', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'verify-invite' })
		const invite = (email: string) => createInvitation({ organisationId: organisation.id, actorId: admin.id, email, role: 'LEARNER', departmentId: null, origin: 'http://localhost' })

		const existing = await createUser({ prefix: 'invited-existing' })
		await acceptInvitation({ token: invitationTokenFromLink((await invite(existing.email)).link), userId: existing.id })
		expect(await verifiedAt(existing.id)).not.toBeNull()

		const email = uniqueEmail('invited-new')
		const { userId } = await acceptInvitationWithNewAccount({ token: invitationTokenFromLink((await invite(email)).link), name: 'Invited Newcomer', password: NEW_PASSWORD })
		expect(await verifiedAt(userId)).not.toBeNull()
	})

	test('the hourly clean-up deletes used and expired links and keeps open ones', async () => {
		const user = await createUser({ prefix: 'cleanup-tokens' })
		const used = await issueAccountToken(prisma, user.id, 'VERIFY')
		expectRedirect(await verifyEmail({ intent: 'confirm', token: used.token }), '/login')
		await issueAccountToken(prisma, user.id, 'VERIFY', new Date(Date.now() - 49 * 60 * 60 * 1000))
		const open = await issueAccountToken(prisma, user.id, 'RESET')
		expect(await prisma.accountToken.count({ where: { userId: user.id } })).toBe(3)
		expect((await deleteExpiredRecords()).accountTokens).toBeGreaterThanOrEqual(2)
		const left = await prisma.accountToken.findMany({ where: { userId: user.id }, select: { purpose: true, usedAt: true } })
		expect(left).toEqual([{ purpose: 'RESET', usedAt: null }])
		expect(await findOpenAccountToken(open.token, 'RESET')).toMatchObject({ id: user.id })
	})
})
