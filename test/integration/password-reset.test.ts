import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { ACCOUNT_MESSAGES } from '#app/modules/auth/account-messages.ts'
import { issueAccountToken } from '#app/modules/auth/account-tokens.server.ts'
import { getAuthSession } from '#app/modules/auth/auth.server.ts'
import { verifyPassword } from '#app/modules/auth/password.server.ts'
import { createPasswordResetLink, requestPasswordReset } from '#app/modules/auth/password-reset.server.ts'
import { hashToken } from '#app/modules/auth/session-token.server.ts'
import { SECRET_LINK, SECRET_LINK_PURPOSE } from '#app/modules/mail/outbox.server.ts'
import { action as forgotPasswordAction } from '#app/routes/forgot-password.tsx'
import { action as loginAction } from '#app/routes/login.tsx'
import { action as resetPasswordAction } from '#app/routes/reset-password._index.tsx'
import { loader as resetLinkLoader } from '#app/routes/reset-password.$token.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { decryptSecret } from '#app/utils/encryption.server.ts'
import { startSmtpSink } from '#tests/fixtures/smtp.ts'
import {
	createSessionCookie,
	createUser,
	expectData,
	expectRedirect,
	expectThrownStatus,
	getRequest,
	headersOf,
	postRequest,
	routeContext,
	sessionCookieFrom,
	uniqueEmail,
	uniqueIp,
} from '#tests/fixtures/users.ts'

// Messages queued by these tests are read from the outbox, never delivered: on a shared
// PostgreSQL server the worker takes every due message, other suites' too. Where a test reads a
// queued link it asks at its own instant, later than any other suite's worker runs, so no other
// worker sends or discards it meanwhile (see test/integration/outbox.test.ts).
const LATER = new Date('2040-03-01T09:00:00.000Z')
const NEW_PASSWORD = 'amber canyon beneath quiet harbours'
const ORIGIN = 'http://localhost'

let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined
beforeEach(async () => {
	sink = await startSmtpSink()
})
afterEach(async () => {
	await sink?.stop()
	sink = undefined
})

const forgotPassword = (email: string, ip = uniqueIp()) =>
	forgotPasswordAction({ request: postRequest('/forgot-password', { email }), params: {}, context: routeContext(ip) })

const resetPassword = (fields: Record<string, string>, cookie?: string) =>
	resetPasswordAction({ request: postRequest('/reset-password', fields, { cookie }), params: {}, context: routeContext() })

const login = (email: string, password: string) =>
	loginAction({ request: postRequest('/login', { email, password }), params: {}, context: routeContext() })

const messagesTo = (to: string) =>
	prisma.outboxMessage.findMany({ where: { to }, orderBy: { createdAt: 'asc' }, select: { kind: true, organisationId: true, subject: true, text: true, secretLink: true } })

/** The tokens of the reset links queued for `to`, oldest first, from their encrypted links. */
async function queuedResetTokens(to: string) {
	const messages = await messagesTo(to)
	return messages
		.filter((message) => message.secretLink)
		.map((message) => /\/reset-password\/([a-z2-7]+)$/.exec(decryptSecret(message.secretLink!, SECRET_LINK_PURPOSE) ?? '')?.[1] ?? '')
}

describe('asking for a reset link', () => {
	test('a known and an unknown address get the same answer; only the account gets a link, its hash stored', async () => {
		const user = await createUser({ prefix: 'forgetful' })
		const unknown = uniqueEmail('nobody')

		const known = expectData(await forgotPassword(user.email.toUpperCase()), 200)
		const stranger = expectData(await forgotPassword(unknown), 200)
		expect(known.data).toEqual(stranger.data)
		expect(known.data.notice).toBe(ACCOUNT_MESSAGES.resetRequested)

		const tokens = await prisma.accountToken.findMany({ where: { userId: user.id }, select: { purpose: true, tokenHash: true, expiresAt: true, usedAt: true, createdAt: true } })
		expect(tokens).toHaveLength(1)
		expect(tokens[0]).toMatchObject({ purpose: 'RESET', usedAt: null })
		expect(tokens[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/)
		expect(tokens[0]!.expiresAt.getTime() - tokens[0]!.createdAt.getTime()).toBe(60 * 60 * 1000)

		const [message, ...others] = await messagesTo(user.email)
		expect(others).toEqual([])
		expect(message).toMatchObject({ kind: 'ACCOUNT', organisationId: null, subject: 'Reset your Bulwark password' })
		expect(message!.text).toContain(`Choose a new password: ${SECRET_LINK}`)
		expect(await messagesTo(unknown)).toEqual([])
		expect(await prisma.accountToken.count({ where: { user: { email: unknown } } })).toBe(0)
	})

	test('a newer link replaces the older one, and the queued link holds the token whose hash is stored', async () => {
		const user = await createUser({ prefix: 'twice' })
		await requestPasswordReset({ email: user.email, ip: uniqueIp(), origin: ORIGIN, at: LATER })
		await requestPasswordReset({ email: user.email, ip: uniqueIp(), origin: ORIGIN, at: new Date(LATER.getTime() + 60_000) })

		const [older, newer] = await queuedResetTokens(user.email)
		expect(older).toMatch(/^[a-z2-7]{32}$/)
		expect(newer).toMatch(/^[a-z2-7]{32}$/)
		const stored = await prisma.accountToken.findMany({ where: { userId: user.id }, select: { tokenHash: true } })
		expect(stored).toEqual([{ tokenHash: hashToken(newer!) }])
		expectData(await resetLinkLoader({ request: getRequest(`/reset-password/${older}`), params: { token: older }, context: routeContext() }), 410)
		const page = await resetLinkLoader({ request: getRequest(`/reset-password/${newer}`), params: { token: newer }, context: routeContext() })
		expect(page).toEqual({ email: user.email, problem: null })
	})

	test('limited per address: the fourth request in an hour answers 429 for a known address and an unknown one alike', async () => {
		const user = await createUser({ prefix: 'limited-reset' })
		const unknown = uniqueEmail('limited-nobody')
		const answers = []
		for (const email of [user.email, unknown]) {
			for (let attempt = 1; attempt <= 3; attempt++) expectData(await forgotPassword(email), 200)
			answers.push(expectData(await forgotPassword(email), 429))
		}
		const [known, stranger] = answers
		// The same answer but for the address typed, which the form shows again.
		expect(known!.data.result.error).toEqual(stranger!.data.result.error)
		expect(known!.data.result.initialValue).toEqual({ email: user.email })
		expect(known!.data.result.error[''][0]).toMatch(/Too many requests for a reset link/)
		expect(Number(headersOf(known).get('Retry-After'))).toBeGreaterThan(0)
		expect(await messagesTo(user.email)).toHaveLength(3)
	})

	test('limited per IP address: the 21st request from one address in an hour answers 429', async () => {
		const ip = uniqueIp()
		for (let attempt = 1; attempt <= 20; attempt++) expectData(await forgotPassword(uniqueEmail('walk'), ip), 200)
		const refused = expectData(await forgotPassword(uniqueEmail('walk'), ip), 429)
		expect(refused.data.result.error[''][0]).toMatch(/Too many requests for a reset link/)
		expectData(await forgotPassword(uniqueEmail('walk')), 200)
	})

	test('without email set up the page says so for every address and nothing is written', async () => {
		await sink?.stop()
		sink = undefined
		const user = await createUser({ prefix: 'no-mail' })
		const known = expectData(await forgotPassword(user.email), 200)
		const stranger = expectData(await forgotPassword(uniqueEmail('no-mail-nobody')), 200)
		expect(known.data).toEqual(stranger.data)
		expect(known.data.notice).toBe(ACCOUNT_MESSAGES.resetWithoutEmail)
		expect(await prisma.accountToken.count({ where: { userId: user.id } })).toBe(0)
		expect(await messagesTo(user.email)).toEqual([])
	})
})

describe('resetting through the link', () => {
	test('the first proof of an address never confirmed removes the factors and links someone else may have added; a confirmed account keeps its own', async () => {
		const addWaysIn = async (userId: string) => {
			await prisma.totpCredential.create({ data: { userId, secretCiphertext: 'unused', confirmedAt: new Date() }, select: { userId: true } })
			await prisma.recoveryCode.create({ data: { userId, codeHash: `${userId}-code` }, select: { id: true } })
		}
		const waysIn = async (userId: string) => ({
			totp: await prisma.totpCredential.count({ where: { userId } }),
			recoveryCodes: await prisma.recoveryCode.count({ where: { userId } }),
		})
		const claimed = await createUser({ prefix: 'claimed-first' })
		await prisma.user.update({ where: { id: claimed.id }, data: { emailVerifiedAt: null }, select: { id: true } })
		await addWaysIn(claimed.id)
		const owner = await createUser({ prefix: 'confirmed-owner' })
		await prisma.user.update({ where: { id: owner.id }, data: { emailVerifiedAt: new Date() }, select: { id: true } })
		await addWaysIn(owner.id)

		for (const user of [claimed, owner]) {
			const { token } = await issueAccountToken(prisma, user.id, 'RESET')
			expectRedirect(await resetPassword({ token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }), '/login')
		}
		expect(await waysIn(claimed.id)).toEqual({ totp: 0, recoveryCodes: 0 })
		expect(await waysIn(owner.id)).toEqual({ totp: 1, recoveryCodes: 1 })
	})

	test('sets the password once, ends every session (cached ones too), verifies the address and tells the owner', async () => {
		const user = await createUser({ prefix: 'resetter' })
		const sessions = [await createSessionCookie(user.id), await createSessionCookie(user.id)]
		// Each session read once, so the embedded database's session cache holds it.
		for (const { cookie } of sessions) expect((await getAuthSession(getRequest('/', { cookie }))).session?.user.id).toBe(user.id)
		const { token } = await issueAccountToken(prisma, user.id, 'RESET')

		const response = expectRedirect(await resetPassword({ token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, sessions[0]!.cookie), '/login')
		expect(sessionCookieFrom(response)?.token).toBe('')

		expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)
		for (const { cookie } of sessions) expect((await getAuthSession(getRequest('/', { cookie }))).session).toBeNull()
		const stored = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true, emailVerifiedAt: true } })
		expect(await verifyPassword(stored.passwordHash, NEW_PASSWORD)).toBe(true)
		expect(stored.emailVerifiedAt).not.toBeNull()
		const notices = (await messagesTo(user.email)).filter((message) => message.subject === 'Your Bulwark password was changed')
		expect(notices).toHaveLength(1)
		expect(notices[0]).toMatchObject({ kind: 'ACCOUNT', organisationId: null, secretLink: null })

		// The link works once: a second use changes nothing.
		const again = expectData(await resetPassword({ token, password: 'another passphrase of cedar boats', confirmPassword: 'another passphrase of cedar boats' }), 410)
		expect(again.data.result.error['']).toEqual([ACCOUNT_MESSAGES.resetLinkInvalid])
		expectData(await resetLinkLoader({ request: getRequest(`/reset-password/${token}`), params: { token }, context: routeContext() }), 410)
		expectRedirect(await login(user.email, NEW_PASSWORD), '/dashboard')
		expectData(await login(user.email, user.password), 400)
	})

	test('opening the link changes nothing: only the form uses it up', async () => {
		const user = await createUser({ prefix: 'scanned' })
		const { token } = await issueAccountToken(prisma, user.id, 'RESET')
		for (let fetch = 0; fetch < 3; fetch++) {
			expect(await resetLinkLoader({ request: getRequest(`/reset-password/${token}`), params: { token }, context: routeContext() })).toEqual({ email: user.email, problem: null })
		}
		expect(await prisma.accountToken.findFirstOrThrow({ where: { userId: user.id }, select: { usedAt: true } })).toEqual({ usedAt: null })
	})

	test('an expired link is refused and the password stays', async () => {
		const user = await createUser({ prefix: 'too-late' })
		const { token } = await issueAccountToken(prisma, user.id, 'RESET', new Date(Date.now() - 61 * 60 * 1000))
		expectData(await resetPassword({ token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }), 410)
		expectRedirect(await login(user.email, user.password), '/dashboard')
	})

	test('a weak or mismatched new password is refused and the link stays usable', async () => {
		const user = await createUser({ prefix: 'weak-reset' })
		const { token } = await issueAccountToken(prisma, user.id, 'RESET')
		const weak = expectData(await resetPassword({ token, password: 'Password2024!', confirmPassword: 'Password2024!' }), 400)
		expect(weak.data.result.error.password.join(' ')).toMatch(/common passwords/)
		expect(JSON.stringify(weak.data)).not.toContain('Password2024!')
		// The form shown again keeps the token, so the person can try another password.
		expect(weak.data.result.initialValue.token).toBe(token)
		const mismatched = expectData(await resetPassword({ token, password: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}!` }), 400)
		expect(mismatched.data.result.error.confirmPassword).toEqual(['The two passwords do not match'])
		expectRedirect(await resetPassword({ token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }), '/login')
	})

	test('a token altered in the form is refused as a changed form', async () => {
		await expectThrownStatus(resetPassword({ token: 'not-a-token', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }), 400)
	})

	test('the operator link works like an emailed one, and an unknown address gets none', async () => {
		const user = await createUser({ prefix: 'operator' })
		const reset = await createPasswordResetLink(user.email, 'https://training.example.test')
		const token = /^https:\/\/training\.example\.test\/reset-password\/([a-z2-7]{32})$/.exec(reset!.link)?.[1]
		expect(token).toBeDefined()
		expectRedirect(await resetPassword({ token: token!, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }), '/login')
		expect(await createPasswordResetLink(uniqueEmail('unknown-operator'), 'https://training.example.test')).toBeNull()
	})
})
