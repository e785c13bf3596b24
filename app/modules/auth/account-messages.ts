// What the screens say about password resets and address verification, in one place (to be
// translated with issue 13); the emails are in account-emails.server.ts.

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
