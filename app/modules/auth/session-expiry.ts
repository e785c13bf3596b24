const DAY_MS = 24 * 60 * 60 * 1000

export const SESSION_LIFETIME_MS = 30 * DAY_MS

export function newSessionExpiry(now: Date) {
	return new Date(now.getTime() + SESSION_LIFETIME_MS)
}

export function isSessionExpired(expiresAt: Date, now: Date) {
	return now.getTime() >= expiresAt.getTime()
}

/** A session in use is extended once half of its lifetime is spent (Lucia's sliding expiry). */
export function shouldExtendSession(expiresAt: Date, now: Date) {
	return !isSessionExpired(expiresAt, now) && expiresAt.getTime() - now.getTime() < SESSION_LIFETIME_MS / 2
}
