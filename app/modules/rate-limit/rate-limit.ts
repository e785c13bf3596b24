export interface RateLimitPolicy {
	/** Failures allowed inside one window; the next attempt is refused. */
	limit: number
	windowMs: number
}

export interface RateLimitBucketState {
	count: number
	windowStart: Date
}

/** Failed log-ins: 10 per 15 minutes, counted per account and per IP address. */
export const LOGIN_FAILURE_POLICY: RateLimitPolicy = { limit: 10, windowMs: 15 * 60 * 1000 }

/**
 * The IP address's hard ceiling, in the same window: past it nobody logs in from that address.
 * An office behind one address does not fail 100 times in 15 minutes; a password sprayer is held
 * to 100 guesses, one per account (see loginWait).
 */
export const LOGIN_ADDRESS_CEILING: RateLimitPolicy = { limit: 100, windowMs: LOGIN_FAILURE_POLICY.windowMs }

/**
 * Open sign-ups: 20 per hour per IP address. Each costs an argon2 hash, so this bounds the work
 * one address can make the server do; colleagues joining by invitation are not counted.
 */
export const SIGNUP_POLICY: RateLimitPolicy = { limit: 20, windowMs: 60 * 60 * 1000 }

const HOUR_MS = 60 * 60 * 1000

/**
 * Emails about an account that anyone can make Bulwark send by typing an address (a reset link,
 * a sign-up's message): 3 an hour per address for each form, counted whether or not the address
 * has an account, so a refusal says nothing about it (docs/decisions/028).
 */
export const ACCOUNT_EMAIL_POLICY: RateLimitPolicy = { limit: 3, windowMs: HOUR_MS }

/** Password-reset requests: 20 an hour per IP address, so one client cannot walk a list of addresses. */
export const RESET_REQUEST_POLICY: RateLimitPolicy = { limit: 20, windowMs: HOUR_MS }

/**
 * Requests to the SCIM endpoints with a wrong, expired or revoked token: 20 per 15 minutes per IP
 * address. A token has 160 random bits, so this is not about guessing one: it keeps a
 * misconfigured or hostile client from making every request cost a lookup.
 */
export const SCIM_TOKEN_FAILURE_POLICY: RateLimitPolicy = { limit: 20, windowMs: 15 * 60 * 1000 }

/** The longest window of any policy: a bucket older than this is closed whatever its policy. */
export const LONGEST_WINDOW_MS = HOUR_MS

/** A fixed window: it opens with the first failure and the count starts over once it has passed. */
export function isWindowOpen(bucket: RateLimitBucketState, now: Date, policy: RateLimitPolicy) {
	return now.getTime() < bucket.windowStart.getTime() + policy.windowMs
}

/** Seconds until another attempt is allowed, or 0 when one is allowed now. */
export function retryAfterSeconds(bucket: RateLimitBucketState | null, now: Date, policy: RateLimitPolicy) {
	if (!bucket || !isWindowOpen(bucket, now, policy) || bucket.count < policy.limit) return 0
	return Math.max(1, Math.ceil((bucket.windowStart.getTime() + policy.windowMs - now.getTime()) / 1000))
}

/** A bucket as it was before the attempt just counted in it (recordAttempt returns it after). */
export function beforeThisAttempt(state: RateLimitBucketState): RateLimitBucketState {
	return { count: state.count - 1, windowStart: state.windowStart }
}

/**
 * Seconds a log-in attempt must wait (0: check the password), from the failures before it. The
 * account's limit is strict. The address's limit must not lock a whole office out because others
 * there mistyped: past it, an account with no failures of its own in the window may still try,
 * until the address reaches its ceiling. A sprayer there gets one guess per account, since the
 * account's first failure closes that door.
 */
export function loginWait({ account, address }: { account: RateLimitBucketState | null; address: RateLimitBucketState | null }, now: Date) {
	const accountWait = retryAfterSeconds(account, now, LOGIN_FAILURE_POLICY)
	if (accountWait > 0) return accountWait
	const addressWait = retryAfterSeconds(address, now, LOGIN_FAILURE_POLICY)
	if (addressWait === 0) return 0
	const accountHasFailed = account !== null && account.count > 0 && isWindowOpen(account, now, LOGIN_FAILURE_POLICY)
	if (accountHasFailed || retryAfterSeconds(address, now, LOGIN_ADDRESS_CEILING) > 0) return addressWait
	return 0
}

export function describeWait(seconds: number) {
	const minutes = Math.ceil(seconds / 60)
	return minutes <= 1 ? 'a minute' : `${minutes} minutes`
}

/** What a refused attempt answers: the wait for Retry-After and the reason in words. */
export function rateLimited(retryAfterSeconds: number, what: string) {
	return {
		status: 'rate-limited' as const,
		retryAfterSeconds,
		message: `Too many ${what}. For your security, wait ${describeWait(retryAfterSeconds)} and try again.`,
	}
}
