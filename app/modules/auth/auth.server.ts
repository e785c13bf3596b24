import { redirect } from '@remix-run/node'
import { parse } from 'cookie'
import { ACCOUNT_EMAIL_POLICY, beforeThisAttempt, LOGIN_FAILURE_POLICY, loginWait, rateLimited, SIGNUP_POLICY } from '#app/modules/rate-limit/rate-limit.ts'
import { loginRateLimitKeys, recordAttempt, refundAttempt, resetRateLimit, takeAttempt } from '#app/modules/rate-limit/rate-limit.server.ts'
import { isSignUpRefused, mustSignInWithSso } from '#app/modules/sso/connections.server.ts'
import { queueEmail } from '#app/modules/mail/outbox.server.ts'
import { isUniqueConstraintError, prisma } from '#app/utils/db.server.ts'
import { isEmailConfigured } from '#app/utils/email.server.ts'
import { memoizeForRequest } from '#app/utils/request-memo.server.ts'
import { signupAttemptEmail } from './account-emails.server.ts'
import { queueVerificationLink } from './email-verification.server.ts'
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password.server.ts'
import { hashToken } from './session-token.server.ts'
import {
	createSession,
	invalidateSession,
	SESSION_COOKIE_NAME,
	serializeBlankSessionCookie,
	serializeSessionCookie,
	validateSessionToken,
} from './session.server.ts'

function readSessionToken(request: Request) {
	const header = request.headers.get('Cookie')
	return header ? (parse(header)[SESSION_COOKIE_NAME] ?? null) : null
}

async function readAuthSession(request: Request) {
	const token = readSessionToken(request)
	if (!token) return { session: null, headers: new Headers() }
	const result = await validateSessionToken(token)
	const headers = new Headers()
	if (!result) headers.append('Set-Cookie', serializeBlankSessionCookie())
	else if (result.refreshed) headers.append('Set-Cookie', serializeSessionCookie(token, result.session.expiresAt))
	return { session: result?.session ?? null, headers }
}

/**
 * The signed-in session, or null. `headers` carries a refreshed cookie when the session was
 * extended (or a cleared one when it was not valid); loaders pass it on in their response.
 */
export async function getAuthSession(request: Request) {
	// The root loader and the page's loader both ask: one lookup per page request.
	const token = readSessionToken(request)
	const { session, headers } = await memoizeForRequest(`auth-session:${token}`, () => readAuthSession(request))
	// Each caller gets its own Headers: the root loader appends its flash cookie to them.
	return { session, headers: new Headers(headers) }
}

function loginRedirect(request: Request) {
	const url = new URL(request.url)
	const redirectTo = `${url.pathname}${url.search}`
	return redirect(`/login?${new URLSearchParams({ redirectTo })}`)
}

export async function requireSession(request: Request) {
	const { session } = await getAuthSession(request)
	if (!session) throw loginRedirect(request)
	return session
}

export async function requireAnonymous(request: Request) {
	const { session } = await getAuthSession(request)
	if (session) throw redirect('/dashboard')
}

export async function hasAccount(email: string) {
	return (await prisma.user.count({ where: { email } })) > 0
}

export type SignUpResult =
	| { status: 'signed-up'; userId: string }
	| { status: 'check-inbox' }
	| { status: 'refused' }
	| { status: 'sso-required' }
	| ReturnType<typeof rateLimited>

/**
 * Open sign-up (not by invitation), limited per IP address; the email's unique index settles races.
 * With email set up, every sign-up answers "check your inbox" (docs/decisions/028): a new address
 * gets an unconfirmed account and a confirmation link, an address with an account gets an email to
 * its owner and no change. The password is hashed in both cases, so they take as long. Without
 * email there is nobody to tell: a new address is signed up and signed in, a taken one refused
 * with words that do not say why.
 */
export async function signUp({ name, email, password, ip, origin }: { name: string; email: string; password: string; ip: string; origin: string }): Promise<SignUpResult> {
	const wait = await takeAttempt([`signup:ip:${ip}`], SIGNUP_POLICY)
	if (wait > 0) return rateLimited(wait, 'accounts created from your network')
	if (await isSignUpRefused(email)) return { status: 'sso-required' }
	const emailed = isEmailConfigured()
	if (emailed) {
		// Counted for every address, with an account or not, so a refusal tells nothing apart.
		const addressWait = await takeAttempt([`signup:address:${email}`], ACCOUNT_EMAIL_POLICY)
		if (addressWait > 0) return rateLimited(addressWait, 'sign-ups with this email address')
	}
	const passwordHash = await hashPassword(password)
	try {
		return await prisma.$transaction(async (tx): Promise<SignUpResult> => {
			const user = await tx.user.create({ data: { name, email, passwordHash }, select: { id: true } })
			if (!emailed) return { status: 'signed-up', userId: user.id }
			await queueVerificationLink(tx, { id: user.id, email, name }, origin)
			return { status: 'check-inbox' }
		})
	} catch (error) {
		if (!isUniqueConstraintError(error)) throw error
		if (!emailed) return { status: 'refused' }
		await queueEmail(prisma, signupAttemptEmail({ to: email, origin }))
		return { status: 'check-inbox' }
	}
}

export type LoginResult =
	| { status: 'ok'; userId: string }
	| { status: 'invalid' }
	| { status: 'sso-required' }
	| { status: 'rate-limited'; retryAfterSeconds: number; message: string }

/** Checks credentials under the failed-login limits (per account and per IP address, see loginWait). */
export async function verifyLogin({ email, password, ip }: { email: string; password: string; ip: string }): Promise<LoginResult> {
	const { accountKey, ipKey } = loginRateLimitKeys(email, ip)
	// Counted before it is checked, so parallel attempts cannot all pass a check that has not seen the others.
	const now = new Date()
	const [account, address] = await recordAttempt([accountKey, ipKey], LOGIN_FAILURE_POLICY, now)
	const before = (state: typeof account) => (state ? beforeThisAttempt(state) : null)
	const wait = loginWait({ account: before(account), address: before(address) }, now)
	if (wait > 0) return rateLimited(wait, 'failed log-in attempts')

	const user = await prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } })
	const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password)
	if (!user || !valid) return { status: 'invalid' }
	// The account starts afresh; the address only gets this attempt back, so a password sprayer
	// who guesses one password does not get a new budget.
	await Promise.all([resetRateLimit(accountKey), refundAttempt(ipKey)])
	// Asked only of the right password, so the refusal tells a stranger nothing (docs/decisions/026).
	if (await mustSignInWithSso({ id: user.id, email })) return { status: 'sso-required' }
	return { status: 'ok', userId: user.id }
}

/** Starts a session and returns the Set-Cookie value that carries its token. */
export async function createSessionCookie(request: Request, userId: string) {
	const { token, session } = await createSession(userId, request.headers.get('User-Agent'))
	return serializeSessionCookie(token, session.expiresAt)
}

/** Starts a session and answers with a redirect that sets its cookie. */
export async function startSession(request: Request, userId: string, redirectTo = '/') {
	return redirect(redirectTo, { headers: { 'Set-Cookie': await createSessionCookie(request, userId) } })
}

export async function logout(request: Request) {
	const token = readSessionToken(request)
	if (token) await invalidateSession(hashToken(token))
	return redirect('/', { headers: { 'Set-Cookie': serializeBlankSessionCookie() } })
}

export async function changePassword({
	userId,
	sessionId,
	currentPassword,
	newPassword,
}: {
	userId: string
	sessionId: string
	currentPassword: string
	newPassword: string
}) {
	// A stolen session must not become a way to guess the password without limit.
	const key = `password-change:${userId}`
	const wait = await takeAttempt([key], LOGIN_FAILURE_POLICY)
	if (wait > 0) return rateLimited(wait, 'wrong current passwords')
	const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } })
	if (!(await verifyPassword(user.passwordHash, currentPassword))) return { status: 'invalid' as const }
	await resetRateLimit(key)
	const passwordHash = await hashPassword(newPassword)
	await prisma.$transaction([
		prisma.user.update({ where: { id: userId }, data: { passwordHash }, select: { id: true } }),
		prisma.session.deleteMany({ where: { userId, id: { not: sessionId } } }),
		prisma.loginChallenge.deleteMany({ where: { userId } }),
	])
	return { status: 'ok' as const }
}
