import { redirect } from '@remix-run/node'
import { parse, serialize } from 'cookie'
import { beforeThisAttempt, describeWait, LOGIN_FAILURE_POLICY, loginWait, retryAfterSeconds } from '#app/modules/rate-limit/rate-limit.ts'
import { recordAttempt, refundAttempt, resetRateLimit } from '#app/modules/rate-limit/rate-limit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { createSessionCookie } from '../auth.server.ts'
import { RedirectToSchema } from '../schemas.ts'
import { generateToken, hashToken } from '../session-token.server.ts'
import { hasSecondFactor, organisationsRequiringMfa } from './factors.server.ts'
import { MFA_MESSAGES } from './messages.ts'
import { SECOND_FACTOR_PATH, SECURITY_SETTINGS_PATH } from './paths.ts'
import type { PasskeyAssertionResult } from './passkeys.server.ts'

// A log-in between the password and the second factor lives in a LoginChallenge row, not in a
// session (decision 025): the cookie holds a random token whose hash is the row's id, for 10
// minutes, once; each wrong code counts against the challenge and against the account's and the
// address's limits, the same as a wrong password.

export const LOGIN_CHALLENGE_COOKIE = 'bulwark_login'
export const LOGIN_CHALLENGE_TTL_MS = 10 * 60 * 1000
/** Wrong codes one challenge takes before the password must be entered again. */
export const CHALLENGE_ATTEMPTS = 5

function challengeCookie(token: string, expiresAt: Date) {
	return serialize(LOGIN_CHALLENGE_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/login',
		secure: getEnv().NODE_ENV === 'production',
		expires: expiresAt,
	})
}

export function blankChallengeCookie() {
	return serialize(LOGIN_CHALLENGE_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/login', secure: getEnv().NODE_ENV === 'production', maxAge: 0 })
}

/** A new pending log-in; `userId` null for a password-less passkey sign-in that has not named its user yet. */
export async function createLoginChallenge({ userId, redirectTo, now = new Date() }: { userId: string | null; redirectTo?: string; now?: Date }) {
	const token = generateToken()
	const id = hashToken(token)
	const expiresAt = new Date(now.getTime() + LOGIN_CHALLENGE_TTL_MS)
	await prisma.loginChallenge.create({ data: { id, userId, redirectTo, expiresAt }, select: { id: true } })
	return { id, setCookie: challengeCookie(token, expiresAt) }
}

export type LoginChallenge = { id: string; userId: string | null; redirectTo: string | null; webauthnChallenge: string | null; user: { id: string; email: string } | null }

/** The pending log-in this browser's cookie names, or null when there is none or it has expired. */
export async function readLoginChallenge(request: Request, now = new Date()): Promise<LoginChallenge | null> {
	const header = request.headers.get('Cookie')
	const token = header ? parse(header)[LOGIN_CHALLENGE_COOKIE] : undefined
	if (!token) return null
	const challenge = await prisma.loginChallenge.findUnique({
		where: { id: hashToken(token) },
		select: { id: true, userId: true, redirectTo: true, webauthnChallenge: true, expiresAt: true, user: { select: { id: true, email: true } } },
	})
	if (!challenge || challenge.expiresAt <= now) return null
	return { id: challenge.id, userId: challenge.userId, redirectTo: challenge.redirectTo, webauthnChallenge: challenge.webauthnChallenge, user: challenge.user }
}

/** The pending second-factor step, or a redirect to the log-in page when there is none. */
export async function requirePendingLogin(request: Request) {
	const challenge = await readLoginChallenge(request)
	if (!challenge?.user) throw redirect('/login', { headers: { 'Set-Cookie': blankChallengeCookie() } })
	return { ...challenge, user: challenge.user }
}

/** Where a member goes once a factor is set up: back to the page that sent them (`?redirectTo=`), else the security settings. */
export function continueAfterSetUp(request: Request) {
	return RedirectToSchema.parse(new URL(request.url).searchParams.get('redirectTo') ?? undefined) ?? SECURITY_SETTINGS_PATH
}

/** Where a member goes first when an organisation of theirs requires a factor they do not have yet. */
export function securitySetupPath(redirectTo: string) {
	return `${SECURITY_SETTINGS_PATH}?${new URLSearchParams({ redirectTo })}`
}

/**
 * After the first factor (a right password, or the organisation's identity provider): the
 * second-factor step when the account has one (no session yet), else the session, or the
 * security settings first when an organisation requires a factor.
 */
export async function continueAfterFirstFactor(request: Request, userId: string, redirectTo: string) {
	if (await hasSecondFactor(userId)) {
		const { setCookie } = await createLoginChallenge({ userId, redirectTo })
		return redirect(SECOND_FACTOR_PATH, { headers: { 'Set-Cookie': setCookie } })
	}
	const required = await organisationsRequiringMfa(userId)
	return completeLogin(request, userId, required.length > 0 ? securitySetupPath(redirectTo) : redirectTo)
}

/** Starts the session and drops the pending log-in's cookie. */
export async function completeLogin(request: Request, userId: string, redirectTo: string) {
	const headers = new Headers()
	headers.append('Set-Cookie', await createSessionCookie(request, userId))
	headers.append('Set-Cookie', blankChallengeCookie())
	return redirect(redirectTo, { headers })
}

const addressKey = (ip: string) => `second-factor:ip:${ip}`
const secondFactorKeys = (userId: string, ip: string) => ({ accountKey: `second-factor:account:${userId}`, ipKey: addressKey(ip) })

export type SecondFactorResult =
	| { status: 'ok' }
	| { status: 'invalid' }
	| { status: 'expired'; message: string }
	| { status: 'rate-limited'; retryAfterSeconds: number; message: string }

/**
 * Checks a second factor for a pending log-in under the same limits as passwords (loginWait per
 * account and per address), then uses the challenge up: it is deleted by exactly one success.
 */
export async function checkSecondFactor(
	challenge: { id: string; userId: string },
	ip: string,
	check: () => Promise<boolean>,
	now = new Date(),
): Promise<SecondFactorResult> {
	const { accountKey, ipKey } = secondFactorKeys(challenge.userId, ip)
	const [account, address] = await recordAttempt([accountKey, ipKey], LOGIN_FAILURE_POLICY, now)
	const before = (state: typeof account) => (state ? beforeThisAttempt(state) : null)
	const wait = loginWait({ account: before(account), address: before(address) }, now)
	if (wait > 0) {
		return { status: 'rate-limited', retryAfterSeconds: wait, message: MFA_MESSAGES.tooManyWrongCodes(describeWait(wait)) }
	}
	if (!(await check())) {
		const updated = await prisma.loginChallenge.updateMany({
			where: { id: challenge.id, failedAttempts: { lt: CHALLENGE_ATTEMPTS - 1 } },
			data: { failedAttempts: { increment: 1 } },
		})
		if (updated.count === 0) {
			await prisma.loginChallenge.deleteMany({ where: { id: challenge.id } })
			return { status: 'expired', message: MFA_MESSAGES.tooManyCodes }
		}
		return { status: 'invalid' }
	}
	const used = await prisma.loginChallenge.deleteMany({ where: { id: challenge.id, userId: challenge.userId, expiresAt: { gt: now } } })
	if (used.count !== 1) return { status: 'expired', message: MFA_MESSAGES.loginExpired }
	await Promise.all([resetRateLimit(accountKey), refundAttempt(ipKey)])
	return { status: 'ok' }
}

/**
 * A password-less passkey sign-in: no account is named beforehand, so failures count against
 * the address only (a passkey's signature cannot be guessed; this bounds the work a client makes).
 * The challenge is used up by exactly one success.
 */
export async function checkPasswordlessPasskey(
	challenge: { id: string },
	ip: string,
	check: () => Promise<PasskeyAssertionResult>,
	now = new Date(),
): Promise<PasskeyAssertionResult | Extract<SecondFactorResult, { status: 'expired' | 'rate-limited' }>> {
	const ipKey = addressKey(ip)
	const [address] = await recordAttempt([ipKey], LOGIN_FAILURE_POLICY, now)
	const wait = address ? retryAfterSeconds(beforeThisAttempt(address), now, LOGIN_FAILURE_POLICY) : 0
	if (wait > 0) {
		return { status: 'rate-limited', retryAfterSeconds: wait, message: MFA_MESSAGES.tooManyFailedSignIns(describeWait(wait)) }
	}
	const checked = await check()
	if (checked.status !== 'ok') return checked
	const used = await prisma.loginChallenge.deleteMany({ where: { id: challenge.id, userId: null, expiresAt: { gt: now } } })
	if (used.count !== 1) return { status: 'expired', message: MFA_MESSAGES.loginExpired }
	await refundAttempt(ipKey)
	return checked
}
