import { z } from 'zod'
import { IdSchema, PlainTextSchema, RecordIdSchema } from '#app/modules/auth/schemas.ts'
import { setByPage } from '#app/utils/form-fields.ts'
import { ScimError } from './errors.ts'
import { SCIM_MESSAGES } from './messages.ts'

// SCIM bodies from identity providers (RFC 7643 resources, RFC 7644 PatchOp) and the
// Provisioning page's forms. Attributes Bulwark does not keep (phoneNumbers, title, addresses,
// the enterprise extension) are accepted and ignored: Entra ID and Okta send them by default.

/** Reads a SCIM body with its schema; one that does not fit is a 400 `invalidValue`, with the schema's own message where it has one. */
export function parseScim<Schema extends z.ZodTypeAny>(schema: Schema, body: unknown): z.infer<Schema> {
	const parsed = schema.safeParse(body)
	if (parsed.success) return parsed.data
	const message = parsed.error.issues[0]?.message ?? ''
	throw new ScimError(400, Object.values<string>(SCIM_MESSAGES).includes(message) ? message : SCIM_MESSAGES.invalidBody, 'invalidValue')
}

/** A SCIM id is one of the app's record ids; anything else names nothing and is not looked up. */
export const isRecordId = (id: string) => IdSchema.safeParse(id).success

/** Entra ID sends `"active": "False"`; SCIM says boolean. Both are read. */
const ScimBoolean = z.union([
	z.boolean(),
	z
		.string()
		.transform((value) => value.toLowerCase())
		.pipe(z.enum(['true', 'false']))
		.transform((value) => value === 'true'),
])

const ScimText = z
	.string()
	.trim()
	.max(256)
	.refine((value) => !/[\u0000-\u001f\u007f]/.test(value))

/** Text or nothing: an empty string or null means "not given". */
export const OptionalText = z
	.union([ScimText, z.null()])
	.optional()
	.transform((value) => value || undefined)

/** userName is the email address Bulwark signs people in with, lower-cased like User.email. */
const UserNameSchema = z
	.string()
	.trim()
	.max(254)
	.email(SCIM_MESSAGES.userNameNotEmail)
	.transform((email) => email.toLowerCase())

const NameSchema = z
	.object({ formatted: OptionalText, givenName: OptionalText, familyName: OptionalText })
	.passthrough()
	.nullable()
	.optional()

export const ScimUserSchema = z
	.object({
		userName: UserNameSchema,
		externalId: OptionalText,
		displayName: OptionalText,
		name: NameSchema,
		active: ScimBoolean.optional(),
	})
	.passthrough()

export type ScimUserInput = z.infer<typeof ScimUserSchema>

/** The members a Group body or a PATCH names, by their SCIM User ids. */
export const ScimMembersSchema = z
	.array(z.object({ value: z.string().trim().min(1).max(64) }).passthrough())
	.max(10_000)
	.transform((members) => members.map((member) => member.value))

export const GroupNameSchema = PlainTextSchema({ required: SCIM_MESSAGES.invalidBody, max: 80 })

export const ScimGroupSchema = z
	.object({
		displayName: GroupNameSchema,
		externalId: OptionalText,
		members: ScimMembersSchema.optional(),
	})
	.passthrough()

export type ScimGroupInput = z.infer<typeof ScimGroupSchema>

/** Entra ID writes `"op": "Replace"`; RFC 7644 says lower case. Either is read. */
const PatchOperationSchema = z.object({
	op: z
		.string()
		.transform((op) => op.toLowerCase())
		.pipe(z.enum(['add', 'replace', 'remove'], { errorMap: () => ({ message: SCIM_MESSAGES.invalidPatchOp }) })),
	path: z.string().max(1_000).optional(),
	value: z.unknown().optional(),
})

export const PatchOpSchema = z.object({
	Operations: z.array(PatchOperationSchema).min(1).max(100),
})

/** RFC 7644 §3.4.2.4: startIndex below 1 is read as 1, a negative count as 0. */
export const ListQuerySchema = z.object({
	filter: z.string().max(1_000).optional(),
	startIndex: z.coerce.number().int().optional().transform((value) => Math.max(1, value ?? 1)),
	count: z.coerce.number().int().optional(),
	attributes: z.string().max(1_000).optional(),
	excludedAttributes: z.string().max(1_000).optional(),
})

// The Provisioning page's forms.

export const SCIM_TOKEN_LIFETIMES = { '90': '90 days', '365': '1 year', '730': '2 years' } as const

export const CreateScimTokenSchema = z.object({
	intent: z.literal('create'),
	name: PlainTextSchema({ required: 'Name the token after the identity provider that uses it, such as “Entra ID”', max: 60 }),
	lifetimeDays: setByPage(z.enum(['90', '365', '730'])).transform(Number),
})

export const RevokeScimTokenSchema = z.object({ intent: z.literal('revoke'), tokenId: RecordIdSchema })
