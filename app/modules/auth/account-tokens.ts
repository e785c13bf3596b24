import type { AccountTokenPurpose } from '#app/generated/prisma/enums.ts'

// Emailed links about a person's own account (docs/decisions/028-password-reset-and-email-verification.md).

const HOUR_MS = 60 * 60 * 1000

/** A reset link is a key to the account: short-lived. A verification link only proves the address. */
export const ACCOUNT_TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
	RESET: HOUR_MS,
	VERIFY: 48 * HOUR_MS,
}

export function accountTokenExpiry(purpose: AccountTokenPurpose, issuedAt: Date) {
	return new Date(issuedAt.getTime() + ACCOUNT_TOKEN_LIFETIME_MS[purpose])
}

export type AccountTokenState = 'open' | 'used' | 'expired'

/** Open until it is used or its expiry is reached (the expiry instant itself is too late). */
export function accountTokenState(token: { expiresAt: Date; usedAt: Date | null }, now: Date): AccountTokenState {
	if (token.usedAt) return 'used'
	return token.expiresAt.getTime() <= now.getTime() ? 'expired' : 'open'
}
