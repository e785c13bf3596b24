import { z } from 'zod'
import { EmailSchema, PlainTextSchema, RedirectToSchema } from '#app/modules/auth/schemas.ts'
import { ROLES } from '#app/modules/organisations/roles.ts'
import { setByPage } from '#app/utils/form-fields.ts'
import { isDomainName, isPublicMailDomain, splitDomainList } from './domains.ts'
import { SSO_MESSAGES } from './messages.ts'

/** "Sign in with SSO": the work address picks the organisation. */
export const SsoStartSchema = z.object({ email: EmailSchema, redirectTo: RedirectToSchema })

export const MAX_SSO_DOMAINS = 50

const DomainListSchema = z
	.string({ required_error: 'Enter at least one email domain, like example.com' })
	.max(5_000, 'That list is too long')
	.transform(splitDomainList)
	.superRefine((domains, ctx) => {
		if (domains.length === 0) ctx.addIssue({ code: 'custom', message: 'Enter at least one email domain, like example.com' })
		if (domains.length > MAX_SSO_DOMAINS) ctx.addIssue({ code: 'custom', message: `Enter at most ${MAX_SSO_DOMAINS} domains` })
		const malformed = domains.find((domain) => !isDomainName(domain))
		if (malformed) ctx.addIssue({ code: 'custom', message: `“${malformed.slice(0, 80)}” is not a domain name, like example.com` })
		const taken = domains.find(isPublicMailDomain)
		if (taken) ctx.addIssue({ code: 'custom', message: `${taken}: ${SSO_MESSAGES.publicDomain}` })
	})

/** A checkbox: ticked sends its value, unticked sends nothing. */
const checkbox = z
	.literal('on')
	.optional()
	.transform((value) => value === 'on')

const issuerField = z.string({ required_error: 'Enter the issuer URL' }).trim().min(1, 'Enter the issuer URL').max(500, 'Use at most 500 characters')

export const SaveSsoSettingsSchema = z.object({
	intent: z.literal('save'),
	issuer: issuerField,
	clientId: PlainTextSchema({ required: 'Enter the client id', max: 300 }),
	/** Left empty to keep the stored secret. */
	clientSecret: z.string().max(1_000, 'Use at most 1000 characters').optional(),
	domains: DomainListSchema,
	defaultRole: setByPage(z.enum(ROLES, { errorMap: () => ({ message: 'Choose learner, manager or admin' }) })),
	mandatory: checkbox,
	enabled: checkbox,
})

export const TestSsoConnectionSchema = z.object({ intent: z.literal('test') })
