import { SECRET_LINK } from '#app/modules/mail/outbox.server.ts'

// Every word Bulwark says about password resets and address verification, on screens and in
// email, in one place (to be translated with issue 13). Emails about a person's own account
// belong to no organisation (kind ACCOUNT); a link holding a token goes as the message's secret link.

export const ACCOUNT_MESSAGES = {
	resetRequested: 'If an account exists for that address, we sent it a link to choose a new password. It works once within an hour.',
	resetWithoutEmail:
		'Email is not set up on this server, so no reset link can be sent. Ask the person who runs Bulwark for your organisation for a reset link.',
	resetLinkInvalid: 'This reset link has expired or was used already. Each link works once within an hour; ask for a new one.',
	resetDone: 'Your password was changed and every session was logged out. Log in with the new password.',
	verifyLinkInvalid: 'This confirmation link has expired or was used already. Log in and ask for a new one from the banner.',
	verifyDoneSignedIn: 'Your email address is confirmed.',
	verifyDone: 'Your email address is confirmed. Log in with the password you chose.',
	verificationSent: (email: string) => `We sent a new confirmation link to ${email}. It works once within 48 hours.`,
	verificationWithoutEmail: 'Email is not set up on this server, so no confirmation link can be sent.',
	alreadyVerified: 'Your email address is confirmed already.',
	signupCheckInbox: (email: string) => `Check your inbox: we sent a link to ${email} to finish creating your account.`,
	signupRefused: 'We could not create an account with these details. If you have one already, log in or reset your password.',
	bannerUnverified: 'Your email address is not confirmed yet: use the link we emailed you.',
	bannerUnverifiedWithoutEmail:
		'Your email address is not confirmed. This server does not send email; accepting an invitation to an organisation confirms it.',
	organisationNeedsVerifiedEmail:
		'Confirm your email address before you create an organisation: use the link we emailed you, or ask for a new one from the banner above.',
} as const

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
