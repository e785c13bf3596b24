/** What people read about second factors, in one place for translation (issue 13). */
export const MFA_MESSAGES = {
	wrongTotpCode: 'That code is not right, or it was already used. Enter the newest code from your authenticator app.',
	wrongRecoveryCode: 'That recovery code is not right, or it was already used.',
	passkeyRefused: 'That passkey could not be checked. Try again, or use another way to sign in.',
	passkeyUnknown: 'This passkey is not registered with Bulwark. Sign in with your password, then add it in Account settings.',
	loginExpired: 'Your log-in took too long or was already used. Enter your email address and password again.',
	tooManyCodes: 'Too many wrong codes. Enter your email address and password again.',
	tooManyWrongCodes: (wait: string) => `Too many wrong codes. For your security, wait ${wait} and try again.`,
	tooManyFailedSignIns: (wait: string) => `Too many failed sign-ins. For your security, wait ${wait} and try again.`,
	tooManyWrongPasswords: (wait: string) => `Too many wrong current passwords. For your security, wait ${wait} and try again.`,
	registrationExpired: 'Adding the passkey took too long. Try again.',
	passkeyAlreadyRegistered: 'This passkey is already registered to your account.',
	totpAlreadyOn: 'Your authenticator app is already set up. Turn it off first to set up another.',
	totpSetupMissing: 'Start the set-up again: the code it showed is no longer waiting.',
	wrongPassword: 'Your current password is not correct.',
	lastFactorRequired: 'An organisation you belong to requires a second factor, so you cannot remove your last one. Add another first.',
	ownFactorFirst: 'Set up a second factor for your own account first (Account settings → Security), so the rule does not lock you out.',
	totpOn: 'Your authenticator app is set up.',
	totpOff: 'Your authenticator app is turned off.',
	passkeyAdded: (name: string) => `Passkey "${name}" added.`,
	passkeyRenamed: (name: string) => `Passkey renamed to "${name}".`,
	passkeyRemoved: (name: string) => `Passkey "${name}" removed.`,
	passkeyMissing: 'That passkey is not on your account (any more).',
	policyOn: 'Every member now needs a second factor. Those without one are led to set it up at their next page.',
	policyOff: 'A second factor is no longer required of members.',
	membersWithoutFactor: (count: number) =>
		count === 0 ? 'Every active member has a second factor.' : count === 1 ? '1 active member has no second factor yet.' : `${count} active members have no second factor yet.`,
	mfaRequiredBy: (organisation: string) => `${organisation} requires a second factor. Set up an authenticator app or a passkey to continue.`,
} as const

/** The account's security history as its owner reads it (SecurityEvent.action). */
export const SECURITY_ACTIONS = {
	'totp.enabled': 'Authenticator app turned on',
	'totp.disabled': 'Authenticator app turned off',
	'recovery_codes.generated': 'New recovery codes created',
	'recovery_code.used': 'Signed in with a recovery code',
	'passkey.added': 'Passkey added',
	'passkey.renamed': 'Passkey renamed',
	'passkey.removed': 'Passkey removed',
} as const

export type SecurityAction = keyof typeof SECURITY_ACTIONS

/** The email each change sends its owner, so a change they did not make does not go unnoticed. */
export const SECURITY_NOTICES: Record<SecurityAction, { subject: string; text: (label: string | null) => string }> = {
	'totp.enabled': {
		subject: 'Authenticator app turned on for your Bulwark account',
		text: () => 'An authenticator app now protects your Bulwark account as a second factor.',
	},
	'totp.disabled': {
		subject: 'Authenticator app turned off for your Bulwark account',
		text: () => 'The authenticator app was removed from your Bulwark account; its codes no longer sign you in.',
	},
	'recovery_codes.generated': {
		subject: 'New recovery codes for your Bulwark account',
		text: () => 'New recovery codes were created for your Bulwark account. The earlier ones no longer work.',
	},
	'recovery_code.used': {
		subject: 'A recovery code was used to sign in to Bulwark',
		text: () => 'Someone signed in to your Bulwark account with one of your recovery codes. Each code works once.',
	},
	'passkey.added': {
		subject: 'A passkey was added to your Bulwark account',
		text: (label) => `A passkey named "${label ?? ''}" was added to your Bulwark account. It can sign you in without a password.`,
	},
	'passkey.renamed': {
		subject: 'A passkey on your Bulwark account was renamed',
		text: (label) => `A passkey on your Bulwark account is now named "${label ?? ''}".`,
	},
	'passkey.removed': {
		subject: 'A passkey was removed from your Bulwark account',
		text: (label) => `The passkey named "${label ?? ''}" was removed from your Bulwark account and no longer signs you in.`,
	},
}

/** The closing every notice ends with. */
export const NOT_YOU =
	'If this was not you, change your password now and review Account settings → Security, where every change to your sign-in is listed.'
