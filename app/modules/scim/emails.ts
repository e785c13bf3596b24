import type { QueuedEmail } from '#app/modules/mail/outbox.server.ts'

/**
 * To someone who had a Bulwark account before an organisation's identity provider added them:
 * that organisation now sees their training records (decision 011), so they are told, and who to
 * ask if it is a mistake. Accounts provisioning creates get no email: the organisation announces
 * its roll-out itself (decision 027).
 */
export function addedByProvisioningEmail({
	organisationId,
	organisationName,
	membershipId,
	email,
	origin,
}: {
	organisationId: string
	organisationName: string
	membershipId: string
	email: string
	origin: string
}): QueuedEmail {
	return {
		kind: 'INVITATION',
		organisationId,
		membershipId,
		to: email,
		subject: `${organisationName} added you to its training on Bulwark`,
		text: [
			`${organisationName} added your Bulwark account to its organisation through its identity provider.`,
			'Its admins and managers now see the training it asks of you, and your completions of those courses.',
			'',
			`Sign in as usual: ${origin}/login`,
			'',
			`If you do not work with ${organisationName}, tell its IT administrators: they can remove you in their identity provider.`,
		].join('\n'),
	}
}
