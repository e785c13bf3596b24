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
 * Open sign-ups: 20 per hour per IP address. Each costs an argon2 hash, so this bounds the work
 * one address can make the server do; colleagues joining by invitation are not counted.
 */
export const SIGNUP_POLICY: RateLimitPolicy = { limit: 20, windowMs: 60 * 60 * 1000 }

/** A fixed window: it opens with the first failure and the count starts over once it has passed. */
export function isWindowOpen(bucket: RateLimitBucketState, now: Date, policy: RateLimitPolicy) {
	return now.getTime() < bucket.windowStart.getTime() + policy.windowMs
}

/** Seconds until another attempt is allowed, or 0 when one is allowed now. */
export function retryAfterSeconds(bucket: RateLimitBucketState | null, now: Date, policy: RateLimitPolicy) {
	if (!bucket || !isWindowOpen(bucket, now, policy) || bucket.count < policy.limit) return 0
	return Math.max(1, Math.ceil((bucket.windowStart.getTime() + policy.windowMs - now.getTime()) / 1000))
}

export function describeWait(seconds: number) {
	const minutes = Math.ceil(seconds / 60)
	return minutes <= 1 ? 'a minute' : `${minutes} minutes`
}
