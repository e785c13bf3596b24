import { SECRET_LINK } from '#app/modules/mail/outbox.server.ts'

// The emails about password resets and address verification, in one place (to be translated with
// issue 13). They concern a person's own account, so they belong to no organisation (kind
// ACCOUNT); a link holding a token goes as the message's secret link, encrypted until it is sent.

const longDate = (at: Date) => at.toUTCString()

export function passwordResetEmail({ to, link, expiresAt }: { to: string; link: string; expiresAt: Date }) {
	return {
		kind: 'ACCOUNT' as const,
		to,
		subject: 'Reset your Bulwark password',
		text: [
			'Someone, hopefully you, asked to reset the password of your Bulwark account.',
			'',
			`Choose a new password: ${SECRET_LINK}`,
			'',
			`The link works once and expires on ${longDate(expiresAt)}. Resetting logs you out everywhere.`,
			'If you did not ask for this, ignore this email: your password stays as it is.',
		].join('\n'),
		secretLink: { url: link, expiresAt },
	}
}

export function passwordChangedEmail({ to, origin }: { to: string; origin: string }) {
	return {
		kind: 'ACCOUNT' as const,
		to,
		subject: 'Your Bulwark password was changed',
		text: [
			'The password of your Bulwark account was just changed through a reset link, and every session was logged out.',
			'',
			`If that was not you, reset it again at once: ${origin}/forgot-password`,
			'and tell whoever looks after security in your organisation.',
		].join('\n'),
	}
}

export function verificationEmail({ to, name, link, expiresAt }: { to: string; name: string; link: string; expiresAt: Date }) {
	return {
		kind: 'ACCOUNT' as const,
		to,
		subject: 'Confirm your email address for Bulwark',
		text: [
			`Hello ${name},`,
			'',
			`Confirm that this address belongs to your Bulwark account: ${SECRET_LINK}`,
			'',
			`The link works once and expires on ${longDate(expiresAt)}.`,
			'If you did not create a Bulwark account, do not confirm: someone else typed your address. You can ignore this email.',
		].join('\n'),
		secretLink: { url: link, expiresAt },
	}
}

/** To the owner of an address someone tried to sign up with again: the sign-up page itself says nothing. */
export function signupAttemptEmail({ to, origin }: { to: string; origin: string }) {
	return {
		kind: 'ACCOUNT' as const,
		to,
		subject: 'Someone tried to create a Bulwark account with your address',
		text: [
			'Someone tried to create a Bulwark account with this email address, which has an account already. Nothing was changed.',
			'',
			`If it was you, log in: ${origin}/login`,
			`Forgot the password? Reset it: ${origin}/forgot-password`,
			'',
			'If it was not you, you can ignore this email.',
		].join('\n'),
	}
}
