import { parse } from 'cookie'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import type { Role } from '#app/generated/prisma/enums.ts'
import { action as loginAction } from '#app/routes/login.tsx'
import { loader as settingsLoader, action as settingsAction } from '#app/routes/org.$slug.sso.tsx'
import { action as signupAction } from '#app/routes/signup.tsx'
import { loader as callbackLoader } from '#app/routes/sso_.callback.tsx'
import { action as startAction } from '#app/routes/sso.tsx'
import { SSO_STATE_COOKIE } from '#app/modules/sso/sign-in.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { startTestProvider, TEST_PROVIDER_CLIENT } from '#tests/e2e/support/oidc-provider.ts'
import { unusedPort } from '#tests/fixtures/database.ts'
import {
	addMember,
	createOrganisationWithAdmin,
	createSessionCookie,
	createUser,
	expectData,
	expectRedirect,
	expectThrownStatus,
	getRequest,
	PASSWORD,
	postRequest,
	randomId,
	routeContext,
	sessionCookieFrom,
} from '#tests/fixtures/users.ts'

let provider: Awaited<ReturnType<typeof startTestProvider>>

beforeAll(async () => {
	provider = await startTestProvider({ port: await unusedPort(), redirectUris: ['http://localhost/sso/callback'] })
})

afterAll(async () => {
	await provider?.stop()
})

/** An organisation whose admin set up SSO through the settings page, with a domain of its own. */
async function organisationWithSso({ defaultRole = 'LEARNER', mandatory = false }: { defaultRole?: Role; mandatory?: boolean } = {}) {
	const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'sso' })
	const domain = `corp-${randomId()}.test`
	const { cookie } = await createSessionCookie(admin.id)
	const fields: Record<string, string> = {
		intent: 'save',
		issuer: provider.issuer,
		clientId: TEST_PROVIDER_CLIENT.clientId,
		clientSecret: TEST_PROVIDER_CLIENT.clientSecret,
		domains: domain,
		defaultRole,
		enabled: 'on',
		...(mandatory ? { mandatory: 'on' } : {}),
	}
	expectRedirect(await settingsAction({ request: postRequest(`/org/${organisation.slug}/sso`, fields, { cookie }), params: { slug: organisation.slug }, context: routeContext() }))
	return { organisation, admin, adminCookie: cookie, domain }
}

/** A browser's cookie jar for the provider's own pages (one host, so paths can be ignored). */
class CookieJar {
	private cookies = new Map<string, string>()
	take(response: Response) {
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';')
			const [name, ...value] = pair!.split('=')
			this.cookies.set(name!.trim(), value.join('='))
		}
	}
	header() {
		return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
	}
}

/**
 * Goes through the provider's log-in and consent pages as a person would, from the authorization
 * URL to the redirect back to the app, and returns that redirect's URL (code, state, iss).
 */
async function signInAtProvider(authorizationUrl: string, login: string) {
	const jar = new CookieJar()
	let url = authorizationUrl
	let body: URLSearchParams | undefined
	for (let step = 0; step < 12; step++) {
		const response = await fetch(url, {
			method: body ? 'POST' : 'GET',
			body,
			headers: { Cookie: jar.header(), ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
			redirect: 'manual',
		})
		jar.take(response)
		body = undefined
		const location = response.headers.get('Location')
		if (location) {
			const next = new URL(location, url)
			if (next.origin === 'http://localhost' && next.pathname === '/sso/callback') return next.href
			url = next.href
			continue
		}
		const page = await response.text()
		const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1]
		if (!prompt) throw new Error(`The provider answered ${response.status} without a form: ${page.slice(0, 300)}`)
		body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt })
	}
	throw new Error('The provider did not send the browser back to the app')
}

/** "Sign in with SSO" with this address: the provider's URL and the browser's state cookie. */
async function startSignIn(email: string) {
	const response = expectRedirect(await startAction({ request: postRequest('/sso', { email }), params: {}, context: routeContext() }))
	const setCookie = response.headers.getSetCookie().find((line) => line.startsWith(`${SSO_STATE_COOKIE}=`))!
	const state = parse(setCookie)[SSO_STATE_COOKIE]!
	return { authorizationUrl: response.headers.get('Location')!, cookie: `${SSO_STATE_COOKIE}=${state}`, state }
}

function callback(url: string, cookie: string) {
	return callbackLoader({ request: getRequest(url.replace('http://localhost', ''), { cookie }), params: {}, context: routeContext() })
}

/** A whole sign-in: start, the provider's pages as `login`, and the callback. */
async function signIn(email: string, login = email) {
	const started = await startSignIn(email)
	const callbackUrl = await signInAtProvider(started.authorizationUrl, login)
	return { ...started, callbackUrl, result: callback(callbackUrl, started.cookie) }
}

const accountCount = (email: string) => prisma.user.count({ where: { email } })
const identityCount = (organisationId: string) => prisma.ssoIdentity.count({ where: { organisationId } })

describe('single sign-on against a real OpenID Provider', () => {
	test('the first sign-in creates the account and the membership with the default role; the next one finds them', async () => {
		const { organisation, domain } = await organisationWithSso({ defaultRole: 'MANAGER' })
		const email = `jit-${randomId()}@${domain}`

		const first = expectRedirect(await (await signIn(email)).result, `/org/${organisation.slug}`)
		expect(sessionCookieFrom(first)).not.toBeNull()
		const user = await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true, name: true } })
		const membership = await prisma.membership.findUniqueOrThrow({
			where: { organisationId_userId: { organisationId: organisation.id, userId: user.id } },
			select: { role: true },
		})
		expect(membership.role).toBe('MANAGER')
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'sso.member_joined', targetUserId: user.id } })).toBe(1)
		expect(await prisma.ssoIdentity.findMany({ where: { organisationId: organisation.id }, select: { subject: true, issuer: true, userId: true } })).toEqual([
			{ subject: email, issuer: provider.issuer, userId: user.id },
		])

		expectRedirect(await (await signIn(email)).result, `/org/${organisation.slug}`)
		expect(await accountCount(email)).toBe(1)
		expect(await identityCount(organisation.id)).toBe(1)
		expect(await prisma.membership.count({ where: { userId: user.id } })).toBe(1)
	})

	test('a person whose address changed at the provider reaches the same account (linked by subject)', async () => {
		const { organisation, domain } = await organisationWithSso()
		const subject = `person-${randomId()}`
		const before = `before-${randomId()}@${domain}`
		const after = `after-${randomId()}@${domain}`
		provider.people.set(subject, before)
		expectRedirect(await (await signIn(before, subject)).result)
		provider.people.set(subject, after)
		expectRedirect(await (await signIn(after, subject)).result)
		expect(await accountCount(after)).toBe(0)
		expect(await identityCount(organisation.id)).toBe(1)
	})

	test('the redirect back is refused with 400 when its state is not the one this browser started', async () => {
		const { organisation, domain } = await organisationWithSso()
		const email = `state-${randomId()}@${domain}`
		const started = await startSignIn(email)
		const callbackUrl = await signInAtProvider(started.authorizationUrl, email)
		const other = await startSignIn(email)
		await expectThrownStatus(callback(callbackUrl, other.cookie), 400)
		await expectThrownStatus(callback(callbackUrl, ''), 400)
		expect(await accountCount(email)).toBe(0)
		expect(await identityCount(organisation.id)).toBe(0)
	})

	test('a replayed redirect and a reused code are refused with 400', async () => {
		const { domain } = await organisationWithSso()
		const email = `replay-${randomId()}@${domain}`
		const first = await signIn(email)
		expectRedirect(await first.result)
		await expectThrownStatus(callback(first.callbackUrl, first.cookie), 400)

		// The spent code under a fresh sign-in's state: the provider refuses it (used, other PKCE).
		const fresh = await startSignIn(email)
		const code = new URL(first.callbackUrl).searchParams.get('code')!
		const reused = new URL(first.callbackUrl)
		reused.searchParams.set('state', fresh.state)
		reused.searchParams.set('code', code)
		await expectThrownStatus(callback(reused.href, fresh.cookie), 400)
		expect(await prisma.session.count({ where: { user: { email } } })).toBe(1)
	})

	test('a sign-in that expired, or a redirect without its code, is refused with 400 and nothing is created', async () => {
		const { organisation, domain } = await organisationWithSso()
		const email = `late-${randomId()}@${domain}`
		const late = await startSignIn(email)
		const callbackUrl = await signInAtProvider(late.authorizationUrl, email)
		await prisma.ssoSignIn.updateMany({ where: { organisationId: organisation.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
		await expectThrownStatus(callback(callbackUrl, late.cookie), 400)

		const codeless = await startSignIn(email)
		const withoutCode = `/sso/callback?${new URLSearchParams({ state: codeless.state, iss: provider.issuer })}`
		await expectThrownStatus(callback(withoutCode, codeless.cookie), 400)
		expect(await accountCount(email)).toBe(0)
		expect(await identityCount(organisation.id)).toBe(0)
	})

	test('an ID token whose nonce is not the one sent is refused with 400 and nothing is created', async () => {
		const { organisation, domain } = await organisationWithSso()
		const email = `nonce-${randomId()}@${domain}`
		const started = await startSignIn(email)
		const callbackUrl = await signInAtProvider(started.authorizationUrl, email)
		// As if the provider's answer belonged to another sign-in than the one this browser started.
		await prisma.ssoSignIn.updateMany({ where: { organisationId: organisation.id }, data: { nonce: 'a-nonce-this-browser-never-sent' } })
		await expectThrownStatus(callback(callbackUrl, started.cookie), 400)
		expect(await accountCount(email)).toBe(0)
		expect(await identityCount(organisation.id)).toBe(0)
	})

	test.each(['forged', 'wrong-audience', 'wrong-issuer'])('an ID token that is %s is refused with 400 and nothing is created', async (kind) => {
		const { organisation, domain } = await organisationWithSso()
		const email = `${kind}-${randomId()}@${domain}`
		await expectThrownStatus((await signIn(email)).result, 400)
		expect(await accountCount(email)).toBe(0)
		expect(await identityCount(organisation.id)).toBe(0)
	})

	test('an address at a domain the organisation does not own, or one the provider did not verify, is refused with 403', async () => {
		const { organisation, domain } = await organisationWithSso()
		const elsewhere = `someone-${randomId()}@not-theirs-${randomId()}.test`
		const started = await startSignIn(`hint-${randomId()}@${domain}`)
		await expectThrownStatus(callback(await signInAtProvider(started.authorizationUrl, elsewhere), started.cookie), 403)
		const unverified = `unverified-${randomId()}@${domain}`
		await expectThrownStatus((await signIn(unverified)).result, 403)
		expect(await accountCount(elsewhere)).toBe(0)
		expect(await accountCount(unverified)).toBe(0)
		expect(await identityCount(organisation.id)).toBe(0)
	})

	test('the provider’s error answer is refused with 4xx', async () => {
		const { domain } = await organisationWithSso()
		const started = await startSignIn(`error-${randomId()}@${domain}`)
		const url = `/sso/callback?${new URLSearchParams({ error: 'access_denied', state: started.state, iss: provider.issuer })}`
		const refused = await expectThrownStatus(callback(url, started.cookie), 403)
		expect(refused.data.message).toMatch(/did not sign you in/)
	})

	test('an existing account is linked only when its owner accepted the invitation, or this organisation’s provisioning made it; a deactivated member is refused', async () => {
		const { organisation, admin, domain } = await organisationWithSso()
		const acceptedInvitation = (email: string) =>
			prisma.invitation.create({
				data: { organisationId: organisation.id, email, tokenHash: `${randomId()}${randomId()}`, expiresAt: new Date(), acceptedAt: new Date(), invitedById: admin.id },
				select: { id: true },
			})
		const stranger = await createUser({ email: `stranger-${randomId()}@${domain}` })
		await expectThrownStatus((await signIn(stranger.email)).result, 409)
		expect(await prisma.membership.count({ where: { userId: stranger.id } })).toBe(0)

		// A membership given without the owner's consent (as SCIM gives an existing account) is not enough.
		const added = await addMember(organisation.id, { user: await createUser({ email: `added-${randomId()}@${domain}` }) })
		await expectThrownStatus((await signIn(added.user.email)).result, 409)
		expect(await prisma.ssoIdentity.count({ where: { userId: added.user.id } })).toBe(0)

		const invited = await addMember(organisation.id, { user: await createUser({ email: `member-${randomId()}@${domain}` }) })
		await acceptedInvitation(invited.user.email)
		expectRedirect(await (await signIn(invited.user.email)).result)
		expect(await prisma.ssoIdentity.count({ where: { userId: invited.user.id } })).toBe(1)

		const provisioned = await addMember(organisation.id, { user: await createUser({ email: `scim-${randomId()}@${domain}` }) })
		await prisma.membership.update({ where: { id: provisioned.membership.id }, data: { provisionedAccount: true }, select: { id: true } })
		expectRedirect(await (await signIn(provisioned.user.email)).result)
		expect(await prisma.ssoIdentity.count({ where: { userId: provisioned.user.id } })).toBe(1)

		const leaver = await addMember(organisation.id, { user: await createUser({ email: `leaver-${randomId()}@${domain}` }), deactivated: true })
		await acceptedInvitation(leaver.user.email)
		await expectThrownStatus((await signIn(leaver.user.email)).result, 403)
		expect(await prisma.ssoIdentity.count({ where: { userId: leaver.user.id } })).toBe(0)
	})

	test('an account with a second factor is asked for it after the provider, before any session exists; an account made at sign-in has its address confirmed', async () => {
		const { organisation, domain } = await organisationWithSso()
		const email = `new-${randomId()}@${domain}`
		expectRedirect(await (await signIn(email)).result)
		const created = await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true, emailVerifiedAt: true } })
		expect(created.emailVerifiedAt).not.toBeNull()

		const member = await addMember(organisation.id, { user: await createUser({ email: `factor-${randomId()}@${domain}` }) })
		await prisma.membership.update({ where: { id: member.membership.id }, data: { provisionedAccount: true }, select: { id: true } })
		await prisma.totpCredential.create({ data: { userId: member.user.id, secretCiphertext: 'unused', confirmedAt: new Date() }, select: { userId: true } })
		const sessionsBefore = await prisma.session.count({ where: { userId: member.user.id } })
		const answer = expectRedirect(await (await signIn(member.user.email)).result, '/login/second-factor')
		expect(sessionCookieFrom(answer)).toBeNull()
		expect(await prisma.session.count({ where: { userId: member.user.id } })).toBe(sessionsBefore)
	})

	test('no code, state or secret reaches the log, whether the sign-in succeeds or is refused', async () => {
		const logged: string[] = []
		const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
			vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
		)
		try {
			const { domain } = await organisationWithSso()
			const email = `quiet-${randomId()}@${domain}`
			const done = await signIn(email)
			expectRedirect(await done.result)
			await expectThrownStatus(callback(done.callbackUrl, done.cookie), 400)
			const forged = await signIn(`forged-${randomId()}@${domain}`)
			await expectThrownStatus(forged.result, 400)
			const secrets = [done.state, new URL(done.callbackUrl).searchParams.get('code')!, forged.state, TEST_PROVIDER_CLIENT.clientSecret]
			for (const line of logged) for (const secret of secrets) expect(line).not.toContain(secret)
		} finally {
			for (const spy of spies) spy.mockRestore()
		}
	})

	test('an address at no organisation’s domain gets a 400 on “Sign in with SSO”', async () => {
		const result = expectData(await startAction({ request: postRequest('/sso', { email: `x-${randomId()}@nobody-${randomId()}.test` }), params: {}, context: routeContext() }), 400)
		expect(result.data.result.error.email[0]).toMatch(/No organisation/)
	})
})

describe('mandatory single sign-on', () => {
	test('refuses password log-in for the organisation’s members at its domains and sign-up there; strangers still log in', async () => {
		const { organisation, domain } = await organisationWithSso({ mandatory: true })
		const member = await addMember(organisation.id, { user: await createUser({ email: `pw-${randomId()}@${domain}` }) })
		const stranger = await createUser({ email: `other-${randomId()}@${domain}` })
		const login = (email: string, password = PASSWORD) => loginAction({ request: postRequest('/login', { email, password }), params: {}, context: routeContext() })

		const refused = expectData(await login(member.user.email), 403)
		expect(refused.data.result.error['']).toEqual([expect.stringMatching(/single sign-on/)])
		expect(sessionCookieFrom(refused)).toBeNull()
		// A wrong password is just wrong: the refusal tells nobody without the password anything.
		expectData(await login(member.user.email, 'not the password at all'), 400)
		expectRedirect(await login(stranger.email))

		const email = `new-${randomId()}@${domain}`
		expectData(await signupAction({ request: postRequest('/signup', { name: 'New Person', email, password: PASSWORD }), params: {}, context: routeContext() }), 403)
		expect(await accountCount(email)).toBe(0)
	})
})

describe('single sign-on settings', () => {
	test('keep the client secret encrypted and never send it to the browser; changes are audit-logged', async () => {
		const { organisation, adminCookie, domain } = await organisationWithSso()
		const stored = await prisma.ssoConnection.findUniqueOrThrow({ where: { organisationId: organisation.id }, select: { clientSecretEncrypted: true } })
		expect(stored.clientSecretEncrypted).not.toContain(TEST_PROVIDER_CLIENT.clientSecret)
		const page = await settingsLoader({ request: getRequest(`/org/${organisation.slug}/sso`, { cookie: adminCookie }), params: { slug: organisation.slug }, context: routeContext() })
		expect(JSON.stringify(page)).not.toContain(TEST_PROVIDER_CLIENT.clientSecret)
		expect(JSON.stringify(page)).not.toContain(stored.clientSecretEncrypted)
		expect(page.settings).toMatchObject({ secretIsSet: true, domains: [domain] })
		expect(page.redirectUri).toBe('http://localhost/sso/callback')
		expect(await prisma.auditEvent.count({ where: { organisationId: organisation.id, action: 'sso.configured' } })).toBe(1)
	})

	test('refuse a domain another organisation holds, a public mail domain and a plain-HTTP issuer elsewhere than this machine', async () => {
		const { domain } = await organisationWithSso()
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'sso-other' })
		const { cookie } = await createSessionCookie(admin.id)
		const save = (fields: Record<string, string>) =>
			settingsAction({
				request: postRequest(`/org/${organisation.slug}/sso`, { intent: 'save', issuer: provider.issuer, clientId: 'c', clientSecret: 's', defaultRole: 'LEARNER', ...fields }, { cookie }),
				params: { slug: organisation.slug },
				context: routeContext(),
			})
		expect(expectData(await save({ domains: domain }), 400).data.result.error.domains[0]).toMatch(/Another organisation/)
		expect(expectData(await save({ domains: 'gmail.com' }), 400).data.result.error.domains[0]).toMatch(/public email provider/)
		expect(expectData(await save({ domains: `ok-${randomId()}.test`, issuer: 'http://idp.example.com' }), 400).data.result.error.issuer[0]).toMatch(/https/)
		expect(await prisma.ssoConnection.count({ where: { organisationId: organisation.id } })).toBe(0)
	})

	test('“Test connection” reads the provider’s discovery document with the saved settings', async () => {
		const { organisation, adminCookie } = await organisationWithSso()
		const test = () =>
			settingsAction({ request: postRequest(`/org/${organisation.slug}/sso`, { intent: 'test' }, { cookie: adminCookie }), params: { slug: organisation.slug }, context: routeContext() })
		expect(await test()).toMatchObject({ test: expect.stringMatching(/^Connected/) })
		await prisma.ssoConnection.update({ where: { organisationId: organisation.id }, data: { issuer: `${provider.issuer}/nothing-here` }, select: { id: true } })
		expect(await test()).toMatchObject({ test: expect.stringMatching(/could not be read/) })
	})

	test('are for admins only', async () => {
		const { organisation } = await organisationWithSso()
		const learner = await addMember(organisation.id)
		const { cookie } = await createSessionCookie(learner.user.id)
		await expectThrownStatus(
			settingsLoader({ request: getRequest(`/org/${organisation.slug}/sso`, { cookie }), params: { slug: organisation.slug }, context: routeContext() }),
			403,
		)
	})
})
