import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { ACCOUNT_MESSAGES } from '#app/modules/auth/account-messages.ts'
import { getAuthSession, requireSession } from '#app/modules/auth/auth.server.ts'
import { verifyPassword } from '#app/modules/auth/password.server.ts'
import { LOGIN_ADDRESS_CEILING, LOGIN_FAILURE_POLICY } from '#app/modules/rate-limit/rate-limit.ts'
import { loginRateLimitKeys, recordAttempt } from '#app/modules/rate-limit/rate-limit.server.ts'
import { action as loginAction } from '#app/routes/login.tsx'
import { action as logoutAction } from '#app/routes/logout.tsx'
import { action as settingsAction } from '#app/routes/settings.tsx'
import { action as signupAction } from '#app/routes/signup.tsx'
import { prisma } from '#app/utils/db.server.ts'
import {
	createSessionCookie,
	createUser,
	expectData,
	expectRedirect,
	headersOf,
	getRequest,
	PASSWORD,
	postRequest,
	randomId,
	routeContext,
	sessionCookieFrom,
	thrownBy,
	uniqueEmail,
	uniqueIp,
} from '#tests/fixtures/users.ts'

const DAY_MS = 24 * 60 * 60 * 1000
const NEW_PASSWORD = 'amber canyon beneath quiet harbours'

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

function signup(fields: Record<string, string>, ip = uniqueIp()) {
	return signupAction({ request: postRequest('/signup', fields), params: {}, context: routeContext(ip) })
}

function login(email: string, password: string, ip = uniqueIp()) {
	return loginAction({ request: postRequest('/login', { email, password }), params: {}, context: routeContext(ip) })
}

function settings(cookie: string, fields: Record<string, string>) {
	return settingsAction({ request: postRequest('/settings', fields, { cookie }), params: {}, context: routeContext() })
}

const sessionExists = async (id: string) => (await prisma.session.count({ where: { id } })) === 1

describe('sign-up', () => {
	test('stores the lower-cased email and an argon2id hash, and starts a session whose row holds only the token hash', async () => {
		const id = randomId()
		const response = expectRedirect(await signup({ name: 'Dana Signup', email: `  Dana.Signup-${id}@Example.TEST `, password: PASSWORD }), '/dashboard')

		const user = await prisma.user.findUnique({ where: { email: `dana.signup-${id}@example.test` } })
		expect(user).not.toBeNull()
		expect(user!.passwordHash.startsWith('$argon2id$')).toBe(true)
		expect(user!.passwordHash).not.toContain(PASSWORD)
		expect(await verifyPassword(user!.passwordHash, PASSWORD)).toBe(true)

		const cookie = sessionCookieFrom(response)
		expect(cookie).not.toBeNull()
		expect(cookie!.setCookie).toMatch(/;\s*HttpOnly/i)
		expect(cookie!.setCookie).toMatch(/;\s*SameSite=Lax/i)
		expect(cookie!.setCookie).toMatch(/;\s*Path=\/(;|$)/)
		expect(cookie!.token).toMatch(/^[a-z2-7]{32}$/)

		const sessions = await prisma.session.findMany({ where: { userId: user!.id } })
		expect(sessions).toHaveLength(1)
		expect(sessions[0]!.id).toBe(sha256(cookie!.token))
		expect(await prisma.session.count({ where: { id: cookie!.token } })).toBe(0)
	})

	test('without email set up, refuses an email already registered in another case with 400, in words that do not say why', async () => {
		const existing = await createUser({ prefix: 'taken' })
		const result = expectData(await signup({ name: 'Second Person', email: existing.email.toUpperCase(), password: NEW_PASSWORD }), 400)

		expect(result.data.result.error['']).toEqual([ACCOUNT_MESSAGES.signupRefused])
		expect(result.data.result.error.email).toBeUndefined()
		expect(sessionCookieFrom(result)).toBeNull()
		expect(await prisma.user.count({ where: { email: { equals: existing.email, mode: 'insensitive' } } })).toBe(1)
		const stored = await prisma.user.findUniqueOrThrow({ where: { email: existing.email } })
		expect(stored.name).toBe(existing.name)
	})

	test.each([
		['a common password with decoration', 'Password2024!', /common passwords/],
		['a repeated pattern', 'abcabcabcabcabc', /repeated or sequential/],
		['a password too short', 'short pass', /at least 12 characters/],
	])('refuses %s with 400 and a message, without echoing it back', async (_label, password, message) => {
		const email = uniqueEmail('weak')
		const result = expectData(await signup({ name: 'Weak Password', email, password }), 400)

		expect(result.data.result.error.password.join(' ')).toMatch(message)
		expect(JSON.stringify(result.data)).not.toContain(password)
		expect(await prisma.user.count({ where: { email } })).toBe(0)
	})
})

describe('log-in', () => {
	test('sets a session cookie for the right password', async () => {
		const user = await createUser({ prefix: 'login' })
		const response = expectRedirect(await login(user.email.toUpperCase(), user.password), '/dashboard')

		const cookie = sessionCookieFrom(response)
		expect(cookie).not.toBeNull()
		const session = await prisma.session.findUnique({ where: { id: sha256(cookie!.token) } })
		expect(session?.userId).toBe(user.id)
		const { session: authSession } = await getAuthSession(getRequest('/', { cookie: cookie!.cookie }))
		expect(authSession?.user.id).toBe(user.id)
	})

	test('answers 400 without a cookie for a wrong password or an unknown account', async () => {
		const user = await createUser({ prefix: 'login-wrong' })
		for (const [email, password] of [
			[user.email, 'not the right password at all'],
			[uniqueEmail('nobody'), PASSWORD],
		] as const) {
			const result = expectData(await login(email, password), 400)
			expect(result.data.result.error['']).toEqual(['The email address or password is incorrect.'])
			expect(sessionCookieFrom(result)).toBeNull()
		}
		expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)
	})
})

describe('failed log-in rate limits', () => {
	test('after 10 failures for one account, the 11th attempt answers 429 with Retry-After even with the right password', async () => {
		const user = await createUser({ prefix: 'limited' })
		// A new address each time, so only the account's counter can reach the limit.
		for (let attempt = 1; attempt <= 10; attempt++) expectData(await login(user.email, `wrong password number ${attempt}`), 400)

		const result = expectData(await login(user.email, user.password), 429)
		const retryAfter = Number(new Headers(result.init?.headers).get('Retry-After'))
		expect(Number.isInteger(retryAfter)).toBe(true)
		expect(retryAfter).toBeGreaterThan(0)
		expect(retryAfter).toBeLessThanOrEqual(15 * 60)
		expect(result.data.result.error[''][0]).toMatch(/Too many failed log-in attempts/)
		expect(sessionCookieFrom(result)).toBeNull()
		expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)

		// The limit is on this account only.
		const other = await createUser({ prefix: 'not-limited' })
		expectRedirect(await login(other.email, other.password))
	})

	test('an address past its limit (10 failures across accounts) still lets an account that has not failed log in', async () => {
		const ip = uniqueIp()
		await failFromAddress(ip, 10)

		// An office behind one address: a colleague who has not mistyped logs in.
		const colleague = await createUser({ prefix: 'colleague' })
		expectRedirect(await login(colleague.email, colleague.password, ip))

		// An account that has failed (from anywhere) is refused there, even with the right password.
		const mistyped = await createUser({ prefix: 'mistyped' })
		expectData(await login(mistyped.email, 'not the right password at all', uniqueIp()), 400)
		const refused = expectData(await login(mistyped.email, mistyped.password, ip), 429)
		expect(Number(new Headers(refused.init?.headers).get('Retry-After'))).toBeGreaterThan(0)
		expect(sessionCookieFrom(refused)).toBeNull()
		// The account itself is not locked: another address logs in.
		expectRedirect(await login(mistyped.email, mistyped.password, uniqueIp()))
	})

	test('from an address past its limit, a sprayer gets one guess per account', async () => {
		const ip = uniqueIp()
		await failFromAddress(ip, 10)
		const target = await createUser({ prefix: 'sprayed' })

		expectData(await login(target.email, 'a first wrong guess here', ip), 400)
		// The first failure closes the door for this account at this address, the right password included.
		expectData(await login(target.email, 'a second wrong guess here', ip), 429)
		expectData(await login(target.email, target.password, ip), 429)
	})

	test('past the ceiling of 100 failures, an address is refused for every account', async () => {
		const ip = uniqueIp()
		await recordAttempts(loginRateLimitKeys('', ip).ipKey, LOGIN_ADDRESS_CEILING.limit)
		const user = await createUser({ prefix: 'ceiling' })
		const result = expectData(await login(user.email, user.password, ip), 429)
		expect(result.data.result.error[''][0]).toMatch(/Too many failed log-in attempts/)
		expectRedirect(await login(user.email, user.password, uniqueIp()))
	})
})

/** Failed log-ins for new unknown accounts from one address. */
async function failFromAddress(ip: string, times: number) {
	for (let attempt = 1; attempt <= times; attempt++) expectData(await login(uniqueEmail(`spray${attempt}`), PASSWORD, ip), 400)
}

async function recordAttempts(key: string, times: number) {
	for (let attempt = 0; attempt < times; attempt++) await recordAttempt([key], LOGIN_FAILURE_POLICY)
}

describe('sign-up rate limit', () => {
	test('20 sign-ups from one address go through; the 21st answers 429 with Retry-After; another address is not affected', async () => {
		const ip = uniqueIp()
		const accounts = Array.from({ length: 21 }, () => ({ name: 'Burst Signup', email: uniqueEmail('burst'), password: PASSWORD }))
		for (const account of accounts.slice(0, 20)) expectRedirect(await signup(account, ip), '/dashboard')

		const refused = expectData(await signup(accounts[20]!, ip), 429)
		expect(Number(headersOf(refused).get('Retry-After'))).toBeGreaterThan(0)
		expect(JSON.stringify(refused.data)).toContain('Too many accounts created from your network')
		expect(await prisma.user.count({ where: { email: accounts[20]!.email } })).toBe(0)

		expectRedirect(await signup(accounts[20]!, uniqueIp()), '/dashboard')
	})
})

describe('log-out', () => {
	test('deletes this session row, clears the cookie and leaves the other sessions', async () => {
		const user = await createUser({ prefix: 'logout' })
		const current = await createSessionCookie(user.id)
		const other = await createSessionCookie(user.id)

		const response = expectRedirect(
			await logoutAction({ request: postRequest('/logout', {}, { cookie: current.cookie }), params: {}, context: routeContext() }),
			'/',
		)

		const cleared = sessionCookieFrom(response)
		expect(cleared?.token).toBe('')
		expect(cleared?.setCookie).toMatch(/Max-Age=0/i)
		expect(await sessionExists(current.sessionId)).toBe(false)
		expect(await sessionExists(other.sessionId)).toBe(true)
		expect((await getAuthSession(getRequest('/', { cookie: current.cookie }))).session).toBeNull()
	})
})

describe('session lifetime', () => {
	test('a session with less than 15 days left is extended and its cookie sent again', async () => {
		const user = await createUser({ prefix: 'extend' })
		const { cookie, sessionId, token } = await createSessionCookie(user.id)
		await prisma.session.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() + 14 * DAY_MS) } })

		const { session, headers } = await getAuthSession(getRequest('/', { cookie }))

		expect(session?.user.id).toBe(user.id)
		const setCookie = headers.get('Set-Cookie')
		expect(setCookie).toContain(`bulwark_session=${token}`)
		expect(setCookie).toMatch(/Expires=/i)
		const stored = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } })
		expect(stored.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * DAY_MS)
	})

	test('a session with more than 15 days left is used as it is', async () => {
		const user = await createUser({ prefix: 'no-extend' })
		const { cookie, sessionId } = await createSessionCookie(user.id)
		const expiresAt = new Date(Date.now() + 16 * DAY_MS)
		await prisma.session.update({ where: { id: sessionId }, data: { expiresAt } })

		const { session, headers } = await getAuthSession(getRequest('/', { cookie }))

		expect(session?.user.id).toBe(user.id)
		expect(headers.get('Set-Cookie')).toBeNull()
		expect((await prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).expiresAt.getTime()).toBe(expiresAt.getTime())
	})

	test('an expired session is refused, deleted and its cookie cleared', async () => {
		const user = await createUser({ prefix: 'expired' })
		const { cookie, sessionId } = await createSessionCookie(user.id)
		await prisma.session.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - 60_000) } })

		const { session, headers } = await getAuthSession(getRequest('/', { cookie }))

		expect(session).toBeNull()
		expect(headers.get('Set-Cookie')).toMatch(/^bulwark_session=;.*Max-Age=0/i)
		expect(await sessionExists(sessionId)).toBe(false)
	})

	test('requireSession sends a visitor without a valid session to log in, keeping where they were going', async () => {
		const thrown = await thrownBy(requireSession(getRequest('/settings?tab=security', { cookie: 'bulwark_session=not-a-real-token' })))
		expectRedirect(thrown, `/login?${new URLSearchParams({ redirectTo: '/settings?tab=security' })}`)
	})
})

describe('account settings', () => {
	test('changing the password ends the other sessions, keeps this one, and only the new password logs in', async () => {
		const user = await createUser({ prefix: 'change' })
		const current = await createSessionCookie(user.id)
		const other = await createSessionCookie(user.id)
		const bystander = await createUser({ prefix: 'bystander' })
		const bystanderSession = await createSessionCookie(bystander.id)

		expectRedirect(
			await settings(current.cookie, {
				intent: 'change-password',
				currentPassword: user.password,
				newPassword: NEW_PASSWORD,
				confirmPassword: NEW_PASSWORD,
			}),
			'/settings',
		)

		expect(await sessionExists(current.sessionId)).toBe(true)
		expect(await sessionExists(other.sessionId)).toBe(false)
		expect(await sessionExists(bystanderSession.sessionId)).toBe(true)
		const stored = await prisma.user.findUniqueOrThrow({ where: { id: user.id } })
		expect(stored.passwordHash.startsWith('$argon2id$')).toBe(true)

		expectRedirect(await login(user.email, NEW_PASSWORD))
		expectData(await login(user.email, user.password), 400)
	})

	test('a wrong current password answers 400 and changes nothing', async () => {
		const user = await createUser({ prefix: 'change-wrong' })
		const current = await createSessionCookie(user.id)
		const other = await createSessionCookie(user.id)
		const before = await prisma.user.findUniqueOrThrow({ where: { id: user.id } })

		const result = expectData(
			await settings(current.cookie, {
				intent: 'change-password',
				currentPassword: 'this is not my password',
				newPassword: NEW_PASSWORD,
				confirmPassword: NEW_PASSWORD,
			}),
			400,
		)

		expect(result.data.result.error.currentPassword).toEqual(['Your current password is not correct.'])
		expect(JSON.stringify(result.data)).not.toContain(NEW_PASSWORD)
		const after = await prisma.user.findUniqueOrThrow({ where: { id: user.id } })
		expect(after.passwordHash).toBe(before.passwordHash)
		expect(await sessionExists(current.sessionId)).toBe(true)
		expect(await sessionExists(other.sessionId)).toBe(true)
	})

	test('a new password that fails the policy answers 400 and changes nothing', async () => {
		const user = await createUser({ prefix: 'change-weak' })
		const current = await createSessionCookie(user.id)
		const before = await prisma.user.findUniqueOrThrow({ where: { id: user.id } })

		const result = expectData(
			await settings(current.cookie, { intent: 'change-password', currentPassword: user.password, newPassword: 'password123456', confirmPassword: 'password123456' }),
			400,
		)

		expect(result.data.result.error.newPassword.join(' ')).toMatch(/common passwords/)
		expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(before.passwordHash)
	})

	test('"logout-others" ends the other sessions only', async () => {
		const user = await createUser({ prefix: 'others' })
		const current = await createSessionCookie(user.id)
		const others = [await createSessionCookie(user.id), await createSessionCookie(user.id)]
		const bystander = await createUser({ prefix: 'others-bystander' })
		const bystanderSession = await createSessionCookie(bystander.id)
		const before = await prisma.user.findUniqueOrThrow({ where: { id: user.id } })

		expectRedirect(await settings(current.cookie, { intent: 'logout-others' }), '/settings')

		expect(await sessionExists(current.sessionId)).toBe(true)
		for (const other of others) expect(await sessionExists(other.sessionId)).toBe(false)
		expect(await sessionExists(bystanderSession.sessionId)).toBe(true)
		expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(before.passwordHash)
	})

	test('without a session the action sends the visitor to log in', async () => {
		const thrown = await thrownBy(settings('bulwark_session=forged', { intent: 'logout-others' }))
		expectRedirect(thrown, `/login?${new URLSearchParams({ redirectTo: '/settings' })}`)
	})
})
