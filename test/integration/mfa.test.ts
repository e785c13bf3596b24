import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { parse } from 'cookie'
import { describe, expect, test } from 'vitest'
import { LOGIN_CHALLENGE_COOKIE } from '#app/modules/auth/mfa/login-challenge.server.ts'
import { totpCodeForStep, totpStepAt } from '#app/modules/auth/mfa/totp.ts'
import { LOGIN_FAILURE_POLICY } from '#app/modules/rate-limit/rate-limit.ts'
import { action as loginAction } from '#app/routes/login.tsx'
import { loader as organisationLoader } from '#app/routes/org.$slug.tsx'
import { action as policyAction, loader as policyLoader } from '#app/routes/org.$slug.security.tsx'
import { action as passwordlessAction } from '#app/routes/login_.passkey.tsx'
import { action as secondFactorAction, loader as secondFactorLoader } from '#app/routes/login_.second-factor.tsx'
import { action as passkeySettingsAction } from '#app/routes/settings_.security_.passkeys.tsx'
import { action as securityAction, loader as securityLoader } from '#app/routes/settings_.security.tsx'
import { action as totpAction, loader as totpLoader } from '#app/routes/settings_.security_.totp.tsx'
import { prisma } from '#app/utils/db.server.ts'
import {
	addMember,
	createOrganisationWithAdmin,
	createSessionCookie,
	createUser,
	expectData,
	expectRedirect,
	getRequest,
	headersOf,
	isDataResult,
	postRequest,
	randomId,
	routeContext,
	sessionCookieFrom,
	type TestUser,
	thrownBy,
	uniqueIp,
} from '#tests/fixtures/users.ts'
import { createSoftwareAuthenticator } from '#tests/fixtures/software-authenticator.ts'

const args = (request: Request, ip = uniqueIp()) => ({ request, params: {}, context: routeContext(ip) })

/** The pending log-in's cookie a response sets, as a request Cookie header. */
function challengeCookieFrom(result: unknown) {
	const line = headersOf(result)
		.getSetCookie()
		.find((cookie) => cookie.startsWith(`${LOGIN_CHALLENGE_COOKIE}=`))
	const token = line ? parse(line)[LOGIN_CHALLENGE_COOKIE] : undefined
	return token ? `${LOGIN_CHALLENGE_COOKIE}=${token}` : null
}

const sessionCount = (userId: string) => prisma.session.count({ where: { userId } })

/** Sets up an authenticator app through the settings pages as the user would; returns its key and the recovery codes shown. */
async function enrolTotp(user: TestUser) {
	const { cookie } = await createSessionCookie(user.id)
	expectRedirect(await totpAction(args(postRequest('/settings/security/totp', { intent: 'start' }, { cookie }))), '/settings/security/totp')
	const page = await totpLoader(args(getRequest('/settings/security/totp', { cookie })))
	const secret = page.enrolment!.secret
	const key = decodeBase32IgnorePadding(secret.replace(/ /g, ''))
	const confirmed = await totpAction(
		args(postRequest('/settings/security/totp', { intent: 'confirm', code: totpCodeForStep(key, totpStepAt(new Date())) }, { cookie })),
	)
	const { recoveryCodes } = confirmed as { recoveryCodes: string[] }
	return { key, secret, recoveryCodes, cookie }
}

/** The password step: answers with a redirect to the second factor and the pending log-in's cookie. */
async function passwordStep(user: TestUser, ip = uniqueIp()) {
	const response = expectRedirect(await loginAction(args(postRequest('/login', { email: user.email, password: user.password }), ip)), '/login/second-factor')
	expect(sessionCookieFrom(response)).toBeNull()
	const cookie = challengeCookieFrom(response)
	expect(cookie).not.toBeNull()
	return cookie!
}

function secondFactor(cookie: string, fields: Record<string, string>, ip = uniqueIp()) {
	return secondFactorAction(args(postRequest('/login/second-factor', fields, { cookie }), ip))
}

/** A code the app would show in the next step: the current step's was used up by the enrolment. */
const nextCode = (key: Uint8Array) => totpCodeForStep(key, totpStepAt(new Date()) + 1)

describe('TOTP enrolment', () => {
	test('shows a QR code and the key as text, keeps the secret encrypted, and turns on with a right code, giving ten recovery codes once', async () => {
		const user = await createUser({ prefix: 'totp-enrol' })
		const { cookie } = await createSessionCookie(user.id)
		expectRedirect(await totpAction(args(postRequest('/settings/security/totp', { intent: 'start' }, { cookie }))))
		const page = await totpLoader(args(getRequest('/settings/security/totp', { cookie })))
		expect(page.enrolment!.qrCodeDataUrl).toMatch(/^data:image\/svg\+xml;base64,/)
		const secret = page.enrolment!.secret.replace(/ /g, '')
		expect(secret).toMatch(/^[A-Z2-7]{32}$/)

		const stored = await prisma.totpCredential.findUniqueOrThrow({ where: { userId: user.id } })
		expect(stored.confirmedAt).toBeNull()
		expect(stored.secretCiphertext).not.toContain(secret)
		expect(stored.secretCiphertext.startsWith('v1.')).toBe(true)

		const key = decodeBase32IgnorePadding(secret)
		const wrong = expectData(await totpAction(args(postRequest('/settings/security/totp', { intent: 'confirm', code: '000000' }, { cookie }))), 400)
		expect(wrong.data.result.error.code[0]).toMatch(/not right/)

		const confirmed = (await totpAction(
			args(postRequest('/settings/security/totp', { intent: 'confirm', code: totpCodeForStep(key, totpStepAt(new Date())) }, { cookie })),
		)) as { recoveryCodes: string[] }
		expect(confirmed.recoveryCodes).toHaveLength(10)
		expect(new Set(confirmed.recoveryCodes).size).toBe(10)
		const rows = await prisma.recoveryCode.findMany({ where: { userId: user.id }, select: { codeHash: true } })
		expect(rows).toHaveLength(10)
		for (const code of confirmed.recoveryCodes) expect(rows.some((row) => row.codeHash.includes(code.replace(/-/g, '')))).toBe(false)

		const security = await securityLoader(args(getRequest('/settings/security', { cookie })))
		expect(security).toMatchObject({ totp: true, hasFactor: true, recoveryCodesLeft: 10 })
		expect(security.events.map((event) => event.what)).toEqual(expect.arrayContaining(['Authenticator app turned on', 'New recovery codes created']))

		// Each change is announced to the owner: an account message, no organisation's.
		const notices = await prisma.outboxMessage.findMany({ where: { to: user.email }, select: { kind: true, organisationId: true, subject: true, text: true } })
		expect(notices.map((notice) => notice.subject).sort()).toEqual(['Authenticator app turned on for your Bulwark account', 'New recovery codes for your Bulwark account'])
		for (const notice of notices) {
			expect(notice).toMatchObject({ kind: 'ACCOUNT', organisationId: null })
			expect(notice.text).toContain('If this was not you')
			for (const code of confirmed.recoveryCodes) expect(notice.text).not.toContain(code)
		}
	})
})

describe('log-in with a second factor', () => {
	test('a right password creates no session; the second factor does, and the pending log-in is used up', async () => {
		const user = await createUser({ prefix: 'totp-login' })
		const { key } = await enrolTotp(user)
		await prisma.session.deleteMany({ where: { userId: user.id } })

		const challenge = await passwordStep(user)
		expect(await sessionCount(user.id)).toBe(0)
		expect(await secondFactorLoader(args(getRequest('/login/second-factor', { cookie: challenge })))).toEqual({ totp: true, passkeys: false })

		const wrong = expectData(await secondFactor(challenge, { intent: 'totp', code: '123456' === nextCode(key) ? '654321' : '123456' }), 400)
		expect(wrong.data.result.error.code[0]).toMatch(/not right/)
		expect(await sessionCount(user.id)).toBe(0)

		const done = expectRedirect(await secondFactor(challenge, { intent: 'totp', code: nextCode(key) }), '/dashboard')
		expect(sessionCookieFrom(done)).not.toBeNull()
		expect(await sessionCount(user.id)).toBe(1)
		expect(headersOf(done).getSetCookie().some((line) => line.startsWith(`${LOGIN_CHALLENGE_COOKIE}=;`))).toBe(true)

		// The same cookie cannot start a second session.
		expectRedirect(await thrownBy(secondFactorLoader(args(getRequest('/login/second-factor', { cookie: challenge })))), '/login')
		expectRedirect(await thrownBy(secondFactor(challenge, { intent: 'totp', code: nextCode(key) })), '/login')
		expect(await sessionCount(user.id)).toBe(1)
	})

	test('a code already used is refused in a new log-in (replay)', async () => {
		const user = await createUser({ prefix: 'totp-replay' })
		const { key } = await enrolTotp(user)
		const code = nextCode(key)
		expectRedirect(await secondFactor(await passwordStep(user), { intent: 'totp', code }), '/dashboard')
		const replay = expectData(await secondFactor(await passwordStep(user), { intent: 'totp', code }), 400)
		expect(replay.data.result.error.code[0]).toMatch(/already used/)
	})

	test('a pending log-in takes five wrong codes, then the password must be entered again', async () => {
		const user = await createUser({ prefix: 'totp-five' })
		const { key } = await enrolTotp(user)
		const challenge = await passwordStep(user)
		const wrongCode = nextCode(key) === '111111' ? '222222' : '111111'
		for (let attempt = 1; attempt < 5; attempt++) expectData(await secondFactor(challenge, { intent: 'totp', code: wrongCode }), 400)
		expectRedirect(await secondFactor(challenge, { intent: 'totp', code: wrongCode }), '/login')
		expectRedirect(await thrownBy(secondFactor(challenge, { intent: 'totp', code: nextCode(key) })), '/login')
		// Only the session the enrolment used.
		expect(await sessionCount(user.id)).toBe(1)
	})

	test('wrong codes are limited per account like passwords: past the limit even the right code waits (429)', async () => {
		const user = await createUser({ prefix: 'totp-limit' })
		const { key } = await enrolTotp(user)
		const wrongCode = nextCode(key) === '111111' ? '222222' : '111111'
		// Two wrong codes per pending log-in, each from its own address: the account's limit is what refuses.
		let wrong = 0
		while (wrong < LOGIN_FAILURE_POLICY.limit) {
			const challenge = await passwordStep(user)
			expectData(await secondFactor(challenge, { intent: 'totp', code: wrongCode }), 400)
			expectData(await secondFactor(challenge, { intent: 'totp', code: wrongCode }), 400)
			wrong += 2
		}
		const refused = expectData(await secondFactor(await passwordStep(user), { intent: 'totp', code: nextCode(key) }), 429)
		expect(Number(headersOf(refused).get('Retry-After'))).toBeGreaterThan(0)
		expect(await sessionCount(user.id)).toBe(1)
	})

	test('a recovery code logs in once; the same code is refused the second time', async () => {
		const user = await createUser({ prefix: 'recovery' })
		const { recoveryCodes } = await enrolTotp(user)
		const code = recoveryCodes[3]!
		// Typed in capitals with spaces, as people do.
		expectRedirect(await secondFactor(await passwordStep(user), { intent: 'recovery', code: code.toUpperCase().replace(/-/g, ' ') }), '/dashboard')
		expect(await prisma.recoveryCode.count({ where: { userId: user.id, usedAt: { not: null } } })).toBe(1)

		const again = expectData(await secondFactor(await passwordStep(user), { intent: 'recovery', code }), 400)
		expect(again.data.result.error.code[0]).toMatch(/already used/)
		expect(await prisma.securityEvent.count({ where: { userId: user.id, action: 'recovery_code.used' } })).toBe(1)
		expect(await prisma.outboxMessage.count({ where: { to: user.email, subject: 'A recovery code was used to sign in to Bulwark' } })).toBe(1)
	})

	test('new recovery codes need the current password and void the old ones', async () => {
		const user = await createUser({ prefix: 'regenerate' })
		const { recoveryCodes, cookie } = await enrolTotp(user)
		const wrong = expectData(await securityAction(args(postRequest('/settings/security', { intent: 'regenerate-codes', password: 'not my password at all' }, { cookie }))), 400)
		expect(wrong.data.result.error.password).toEqual(['Your current password is not correct.'])
		const fresh = (await securityAction(args(postRequest('/settings/security', { intent: 'regenerate-codes', password: user.password }, { cookie })))) as {
			recoveryCodes: string[]
		}
		expect(fresh.recoveryCodes).toHaveLength(10)
		expectData(await secondFactor(await passwordStep(user), { intent: 'recovery', code: recoveryCodes[0]! }), 400)
		expectRedirect(await secondFactor(await passwordStep(user), { intent: 'recovery', code: fresh.recoveryCodes[0]! }), '/dashboard')
	})

	test('turning the authenticator app off needs the current password; log-in then asks for none', async () => {
		const user = await createUser({ prefix: 'totp-off' })
		const { cookie } = await enrolTotp(user)
		expectRedirect(await securityAction(args(postRequest('/settings/security', { intent: 'disable-totp', password: user.password }, { cookie }))), '/settings/security')
		expect(await prisma.totpCredential.count({ where: { userId: user.id } })).toBe(0)
		expect(await prisma.outboxMessage.count({ where: { to: user.email, kind: 'ACCOUNT', subject: 'Authenticator app turned off for your Bulwark account' } })).toBe(1)
		expectRedirect(await loginAction(args(postRequest('/login', { email: user.email, password: user.password }))), '/dashboard')
	})

	test('an account without a second factor logs in with the password alone', async () => {
		const user = await createUser({ prefix: 'no-factor' })
		const response = expectRedirect(await loginAction(args(postRequest('/login', { email: user.email, password: user.password }))), '/dashboard')
		expect(sessionCookieFrom(response)).not.toBeNull()
		expect(challengeCookieFrom(response)).toBeNull()
	})
})

describe('organisation MFA policy', () => {
	const orgArgs = (slug: string, request: Request) => ({ request, params: { slug }, context: routeContext() })

	test('an admin needs a factor of their own to require one; the change is audit-logged', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'mfa-policy' })
		const { cookie } = await createSessionCookie(admin.id)
		const refused = expectData(await policyAction(orgArgs(organisation.slug, postRequest(`/org/${organisation.slug}/security`, { requireMfa: 'on' }, { cookie }))), 400)
		expect(refused.data.result.error[''][0]).toMatch(/your own account first/)

		await enrolTotp(admin)
		expectRedirect(await policyAction(orgArgs(organisation.slug, postRequest(`/org/${organisation.slug}/security`, { requireMfa: 'on' }, { cookie }))))
		expect(await prisma.organisation.findUniqueOrThrow({ where: { id: organisation.id }, select: { requireMfa: true } })).toEqual({ requireMfa: true })
		const audit = await prisma.auditEvent.findMany({ where: { organisationId: organisation.id, action: { startsWith: 'organisation.mfa' } }, select: { action: true, actorId: true } })
		expect(audit).toEqual([{ action: 'organisation.mfa_required', actorId: admin.id }])

		// A learner cannot change it.
		const learner = await addMember(organisation.id)
		await enrolTotp(learner.user)
		const learnerCookie = (await createSessionCookie(learner.user.id)).cookie
		expect(await thrownBy(policyAction(orgArgs(organisation.slug, postRequest(`/org/${organisation.slug}/security`, {}, { cookie: learnerCookie }))))).toMatchObject({ init: { status: 403 } })
	})

	test('a member without a factor is sent to set one up before any page of the organisation, and returns after', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'mfa-enforced' })
		await enrolTotp(admin)
		const adminCookie = (await createSessionCookie(admin.id)).cookie
		const member = await addMember(organisation.id)
		expect((await policyLoader(orgArgs(organisation.slug, getRequest(`/org/${organisation.slug}/security`, { cookie: adminCookie })))).membersWithoutFactor).toBe(1)
		expectRedirect(await policyAction(orgArgs(organisation.slug, postRequest(`/org/${organisation.slug}/security`, { requireMfa: 'on' }, { cookie: adminCookie }))))

		// At sign-in: the password alone leads to the security settings, with the way back.
		const login = await loginAction(args(postRequest('/login', { email: member.user.email, password: member.user.password, redirectTo: `/org/${organisation.slug}` })))
		const setUpPath = `/settings/security?${new URLSearchParams({ redirectTo: `/org/${organisation.slug}` })}`
		expectRedirect(login, setUpPath)
		const memberCookie = sessionCookieFrom(login)!.cookie

		// Any page of the organisation sends them there too.
		const gate = expectRedirect(await thrownBy(organisationLoader(orgArgs(organisation.slug, getRequest(`/org/${organisation.slug}`, { cookie: memberCookie })))), setUpPath)
		expect(headersOf(gate).getSetCookie().some((line) => line.startsWith('bulwark_flash='))).toBe(true)
		const security = await securityLoader(args(getRequest(setUpPath, { cookie: memberCookie })))
		expect(security).toMatchObject({ hasFactor: false, requiredBy: [organisation.name], redirectTo: `/org/${organisation.slug}` })

		// Set up: the organisation opens, and the last factor cannot be removed while the rule stands.
		await enrolTotp(member.user)
		const page = await organisationLoader(orgArgs(organisation.slug, getRequest(`/org/${organisation.slug}`, { cookie: memberCookie })))
		expect(page.organisation).toEqual({ id: organisation.id, slug: organisation.slug, name: organisation.name })
		const kept = expectData(await securityAction(args(postRequest('/settings/security', { intent: 'disable-totp', password: member.user.password }, { cookie: memberCookie }))), 400)
		expect(kept.data.result.error[''][0]).toMatch(/cannot remove your last one/)
		expect(await prisma.totpCredential.count({ where: { userId: member.user.id, confirmedAt: { not: null } } })).toBe(1)
	})

	test('a member of an organisation without the rule is not stopped', async () => {
		const { organisation } = await createOrganisationWithAdmin({ prefix: 'mfa-optional' })
		const member = await addMember(organisation.id)
		const { cookie } = await createSessionCookie(member.user.id)
		const page = await organisationLoader(orgArgs(organisation.slug, getRequest(`/org/${organisation.slug}`, { cookie })))
		expect(page.organisation.slug).toBe(organisation.slug)
	})
})

describe('passkeys', () => {
	type Authenticator = ReturnType<typeof createSoftwareAuthenticator>

	/** Adds a passkey through Account settings as the browser component does: options, then the answer. */
	async function addPasskey(user: TestUser, authenticator: Authenticator, name = 'Work laptop') {
		const { cookie } = await createSessionCookie(user.id)
		const { options } = (await passkeySettingsAction(args(postRequest('/settings/security/passkeys', { intent: 'options' }, { cookie })))) as {
			options: { challenge: string; user: { id: string }; authenticatorSelection: { residentKey: string; userVerification: string } }
		}
		expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' })
		const answer = JSON.stringify(authenticator.register(options))
		return { cookie, result: await passkeySettingsAction(args(postRequest('/settings/security/passkeys', { intent: 'register', name, response: answer }, { cookie }))) }
	}

	/** Asks a WebAuthn ceremony's options of an action and signs them, returning the form to post. */
	async function signedAnswer(post: (fields: Record<string, string>) => Promise<unknown>, authenticator: Authenticator) {
		return { intent: 'passkey', response: JSON.stringify(authenticator.authenticate(await optionsFrom(post))) }
	}

	/** The WebAuthn options an action answers (plain, or with a cookie when it opens a pending log-in). */
	async function optionsFrom(post: (fields: Record<string, string>) => Promise<unknown>) {
		const reply = await post({ intent: 'options' })
		return ((isDataResult(reply) ? reply.data : reply) as { options: { challenge: string } }).options
	}

	test('added in settings with a name (the first factor brings recovery codes), announced, then the second factor after a password', async () => {
		const user = await createUser({ prefix: 'passkey' })
		const authenticator = createSoftwareAuthenticator()
		const { result } = await addPasskey(user, authenticator)
		expect((result as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10)
		const stored = await prisma.passkey.findMany({ where: { userId: user.id }, select: { id: true, name: true, counter: true } })
		expect(stored).toEqual([{ id: authenticator.credentialId, name: 'Work laptop', counter: 0 }])
		expect(await prisma.outboxMessage.count({ where: { to: user.email, kind: 'ACCOUNT', subject: 'A passkey was added to your Bulwark account' } })).toBe(1)
		// Its challenge was used up: the same answer cannot add it again.
		expect(await prisma.passkeyRegistration.count({ where: { userId: user.id } })).toBe(0)

		const challenge = await passwordStep(user)
		const post = (fields: Record<string, string>) => secondFactorAction(args(postRequest('/login/second-factor', fields, { cookie: challenge })))
		const answer = await signedAnswer(post, authenticator)
		const done = expectRedirect(await post(answer), '/dashboard')
		expect(sessionCookieFrom(done)).not.toBeNull()
		const used = await prisma.passkey.findUniqueOrThrow({ where: { id: authenticator.credentialId }, select: { counter: true, lastUsedAt: true } })
		expect(used.counter).toBe(1)
		expect(used.lastUsedAt).not.toBeNull()

		// A replayed answer (its challenge is gone) is refused in a new log-in.
		const again = await passwordStep(user)
		const replayPost = (fields: Record<string, string>) => secondFactorAction(args(postRequest('/login/second-factor', fields, { cookie: again })))
		await replayPost({ intent: 'options' })
		expectData(await replayPost(answer), 400)
	})

	test('signs in without a password (a discoverable credential names its user); a passkey from another origin or an unknown one is refused', async () => {
		const user = await createUser({ prefix: 'passwordless' })
		const authenticator = createSoftwareAuthenticator()
		await addPasskey(user, authenticator)

		const options = await passwordlessAction(args(postRequest('/login/passkey', { intent: 'options', redirectTo: '/courses' })))
		const offered = expectData(options, 200)
		expect(offered.data.options.allowCredentials).toEqual([])
		expect(offered.data.options.userVerification).toBe('required')
		const cookie = challengeCookieFrom(offered)!
		const post = (fields: Record<string, string>) => passwordlessAction(args(postRequest('/login/passkey', fields, { cookie })))
		const done = expectRedirect(await post({ intent: 'passkey', response: JSON.stringify(authenticator.authenticate(offered.data.options)) }), '/courses')
		expect(sessionCookieFrom(done)).not.toBeNull()

		const phishing = createSoftwareAuthenticator({ origin: 'http://bulwark.evil.test', rpID: 'localhost' })
		await addPasskey(await createUser({ prefix: 'phished' }), createSoftwareAuthenticator())
		const second = expectData(await passwordlessAction(args(postRequest('/login/passkey', { intent: 'options' }))), 200)
		const secondCookie = challengeCookieFrom(second)!
		const unknown = expectData(
			await passwordlessAction(args(postRequest('/login/passkey', { intent: 'passkey', response: JSON.stringify(phishing.authenticate(second.data.options)) }, { cookie: secondCookie }))),
			400,
		)
		expect(unknown.data.message).toMatch(/not registered/)
		expect(sessionCookieFrom(unknown)).toBeNull()
	})

	test('a member whose organisation made single sign-on mandatory for their domain cannot sign in with a passkey instead', async () => {
		const domain = `sso-${randomId()}.test`
		const user = await createUser({ email: `member@${domain}` })
		const authenticator = createSoftwareAuthenticator()
		await addPasskey(user, authenticator)
		const { organisation } = await createOrganisationWithAdmin({ prefix: 'passkey-sso' })
		await addMember(organisation.id, { user })
		await prisma.ssoConnection.create({
			data: { organisationId: organisation.id, issuer: 'https://idp.example.test', clientId: 'bulwark', clientSecretEncrypted: 'unused', mandatory: true },
			select: { id: true },
		})
		await prisma.ssoDomain.create({ data: { domain, organisationId: organisation.id }, select: { domain: true } })

		const offered = expectData(await passwordlessAction(args(postRequest('/login/passkey', { intent: 'options' }))), 200)
		const cookie = challengeCookieFrom(offered)!
		const refused = expectData(
			await passwordlessAction(args(postRequest('/login/passkey', { intent: 'passkey', response: JSON.stringify(authenticator.authenticate(offered.data.options)) }, { cookie }))),
			403,
		)
		expect(refused.data.message).toMatch(/single sign-on/)
		expect(sessionCookieFrom(refused)).toBeNull()
	})

	test('an answer for the wrong origin is refused even from a registered passkey', async () => {
		const user = await createUser({ prefix: 'wrong-origin' })
		const authenticator = createSoftwareAuthenticator()
		await addPasskey(user, authenticator)
		const challenge = await passwordStep(user)
		const post = (fields: Record<string, string>) => secondFactorAction(args(postRequest('/login/second-factor', fields, { cookie: challenge })))
		const answer = authenticator.authenticate(await optionsFrom(post))
		const clientData = JSON.parse(Buffer.from(answer.response.clientDataJSON, 'base64url').toString())
		answer.response.clientDataJSON = Buffer.from(JSON.stringify({ ...clientData, origin: 'http://bulwark.evil.test' })).toString('base64url')
		const refused = expectData(await post({ intent: 'passkey', response: JSON.stringify(answer) }), 400)
		expect(refused.data.message).toMatch(/could not be checked/)
		// Only the session that added the passkey.
		expect(await sessionCount(user.id)).toBe(1)
	})

	test('after a password only that user\'s passkeys count', async () => {
		const user = await createUser({ prefix: 'own-passkey' })
		await addPasskey(user, createSoftwareAuthenticator())
		const stranger = createSoftwareAuthenticator()
		await addPasskey(await createUser({ prefix: 'stranger' }), stranger)
		const challenge = await passwordStep(user)
		const post = (fields: Record<string, string>) => secondFactorAction(args(postRequest('/login/second-factor', fields, { cookie: challenge })))
		expectData(await post(await signedAnswer(post, stranger)), 400)
		// Only the session that added the passkey.
		expect(await sessionCount(user.id)).toBe(1)
	})

	test('renamed freely, removed with the current password, each announced', async () => {
		const user = await createUser({ prefix: 'passkey-manage' })
		const authenticator = createSoftwareAuthenticator()
		const { cookie } = await addPasskey(user, authenticator)
		const id = authenticator.credentialId
		expectRedirect(await securityAction(args(postRequest('/settings/security', { intent: 'rename', passkeyId: id, name: 'Old phone' }, { cookie }))), '/settings/security')
		const wrong = expectData(await securityAction(args(postRequest('/settings/security', { intent: 'remove-passkey', passkeyId: id, password: 'not the password at all' }, { cookie }))), 400)
		expect(wrong.data.result.error.password).toEqual(['Your current password is not correct.'])
		expectRedirect(await securityAction(args(postRequest('/settings/security', { intent: 'remove-passkey', passkeyId: id, password: user.password }, { cookie }))), '/settings/security')
		expect(await prisma.passkey.count({ where: { userId: user.id } })).toBe(0)
		const events = await prisma.securityEvent.findMany({ where: { userId: user.id }, orderBy: { createdAt: 'asc' }, select: { action: true, label: true } })
		expect(events.filter((event) => event.action.startsWith('passkey.'))).toEqual([
			{ action: 'passkey.added', label: 'Work laptop' },
			{ action: 'passkey.renamed', label: 'Old phone' },
			{ action: 'passkey.removed', label: 'Old phone' },
		])
		const subjects = (await prisma.outboxMessage.findMany({ where: { to: user.email, subject: { contains: 'passkey' } }, select: { subject: true } })).map((row) => row.subject)
		expect(subjects).toHaveLength(3)
	})
})
