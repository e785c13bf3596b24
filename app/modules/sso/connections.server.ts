import type { Role } from '#app/generated/prisma/enums.ts'
import { recordAuditEvent } from '#app/modules/organisations/audit.server.ts'
import { isUniqueConstraintError, prisma } from '#app/utils/db.server.ts'
import { encryptSecret } from '#app/utils/encryption.server.ts'
import { domainOfEmail } from './domains.ts'
import { ISSUER_PROBLEM_MESSAGES } from './issuer.ts'
import { SSO_MESSAGES } from './messages.ts'
import { canDiscover, CLIENT_SECRET_PURPOSE, issuerProblemOf } from './provider.server.ts'

/** What the settings page shows: everything but the secret, of which only its presence. */
export async function getSsoSettings(organisationId: string) {
	const [connection, domains] = await Promise.all([
		prisma.ssoConnection.findUnique({
			where: { organisationId },
			select: { issuer: true, clientId: true, defaultRole: true, mandatory: true, enabled: true, updatedAt: true },
		}),
		prisma.ssoDomain.findMany({ where: { organisationId }, orderBy: { domain: 'asc' }, select: { domain: true } }),
	])
	return connection ? { ...connection, secretIsSet: true, domains: domains.map(({ domain }) => domain) } : null
}

export interface SsoSettingsInput {
	issuer: string
	clientId: string
	clientSecret?: string
	domains: string[]
	defaultRole: Role
	mandatory: boolean
	enabled: boolean
}

/** A refusal the admin can act on, shown beside the field it concerns. */
export class SsoSettingsError extends Error {
	constructor(
		readonly field: 'issuer' | 'clientSecret' | 'domains',
		message: string,
	) {
		super(message)
	}
}

/** Creates or replaces the organisation's connection and its domains in one audited transaction. */
export async function saveSsoSettings({ organisationId, actorId, settings }: { organisationId: string; actorId: string; settings: SsoSettingsInput }) {
	const problem = issuerProblemOf(settings.issuer)
	if (problem) throw new SsoSettingsError('issuer', ISSUER_PROBLEM_MESSAGES[problem])
	const issuer = settings.issuer
	const secret = settings.clientSecret?.trim()
	const clientSecretEncrypted = secret ? encryptSecret(secret, CLIENT_SECRET_PURPOSE) : undefined
	try {
		await prisma.$transaction(async (tx) => {
			const existing = await tx.ssoConnection.findUnique({
				where: { organisationId },
				select: { issuer: true, clientId: true, defaultRole: true, mandatory: true, enabled: true },
			})
			if (!existing && !clientSecretEncrypted) throw new SsoSettingsError('clientSecret', SSO_MESSAGES.secretRequired)
			const fields = { issuer, clientId: settings.clientId, defaultRole: settings.defaultRole, mandatory: settings.mandatory, enabled: settings.enabled }
			await tx.ssoConnection.upsert({
				where: { organisationId },
				create: { organisationId, ...fields, clientSecretEncrypted: clientSecretEncrypted! },
				update: { ...fields, ...(clientSecretEncrypted ? { clientSecretEncrypted } : {}) },
				select: { id: true },
			})
			const before = (await tx.ssoDomain.findMany({ where: { organisationId }, select: { domain: true } })).map(({ domain }) => domain)
			const added = settings.domains.filter((domain) => !before.includes(domain))
			const removed = before.filter((domain) => !settings.domains.includes(domain))
			await tx.ssoDomain.deleteMany({ where: { organisationId, domain: { in: removed } } })
			await tx.ssoDomain.createMany({ data: added.map((domain) => ({ domain, organisationId })) })
			await recordAuditEvent(tx, {
				organisationId,
				actorId,
				action: existing ? 'sso.updated' : 'sso.configured',
				targetLabel: issuer,
				details: {
					clientId: settings.clientId,
					defaultRole: settings.defaultRole,
					mandatory: settings.mandatory,
					enabled: settings.enabled,
					domainsAdded: added,
					domainsRemoved: removed,
					secretReplaced: Boolean(existing && clientSecretEncrypted),
				},
			})
		})
	} catch (error) {
		// The domain's primary key: another organisation holds one of them.
		if (isUniqueConstraintError(error)) throw new SsoSettingsError('domains', SSO_MESSAGES.domainTaken)
		throw error
	}
}

/** Whether the organisation's saved connection reaches its provider (the settings page's "Test connection"). */
export async function testSsoConnection(organisationId: string) {
	const connection = await prisma.ssoConnection.findUnique({
		where: { organisationId },
		select: { id: true, issuer: true, clientId: true, clientSecretEncrypted: true, updatedAt: true },
	})
	return connection ? canDiscover(connection) : false
}

/** The enabled connection that signs in this address, found by the address's domain. */
export async function findConnectionForEmail(email: string) {
	const domain = await prisma.ssoDomain.findUnique({
		where: { domain: domainOfEmail(email) },
		select: {
			organisation: {
				select: {
					id: true,
					ssoConnection: { select: { id: true, issuer: true, clientId: true, clientSecretEncrypted: true, updatedAt: true, enabled: true } },
				},
			},
		},
	})
	const connection = domain?.organisation.ssoConnection
	return domain && connection?.enabled ? { ...connection, organisationId: domain.organisation.id } : null
}

/**
 * Whether this account must sign in through its organisation's provider, so a password or a
 * passkey is refused: when it is an active member of an organisation that made SSO mandatory for
 * the address's domain. Only members are held to it, so a domain claimed by the wrong organisation
 * cannot lock strangers out (docs/decisions/026).
 */
export async function mustSignInWithSso(user: { id: string; email: string }) {
	const count = await prisma.ssoDomain.count({
		where: {
			domain: domainOfEmail(user.email),
			organisation: {
				ssoConnection: { is: { enabled: true, mandatory: true } },
				memberships: { some: { userId: user.id, deactivatedAt: null } },
			},
		},
	})
	return count > 0
}

/** Whether open sign-up is refused for this address: its domain signs in through mandatory SSO. */
export async function isSignUpRefused(email: string) {
	const count = await prisma.ssoDomain.count({
		where: { domain: domainOfEmail(email), organisation: { ssoConnection: { is: { enabled: true, mandatory: true } } } },
	})
	return count > 0
}
