import { z } from 'zod'
import { EmailSchema, IdSchema, PlainTextSchema, RecordIdSchema, ticked } from '#app/modules/auth/schemas.ts'
import { REQUIREMENT_STATUSES } from '#app/modules/compliance/status.ts'
import { CONFIRMED, setByPage } from '#app/utils/form-fields.ts'
import { optionalFilter, PageQuerySchema, SearchQuerySchema } from '#app/utils/list-query.ts'
import { ROLES } from './roles.ts'

export const OrganisationNameSchema = PlainTextSchema({ required: 'Enter the organisation’s name', max: 80 })

export const CreateOrganisationSchema = z.object({ name: OrganisationNameSchema })

export const DepartmentNameSchema = PlainTextSchema({ required: 'Enter a department name', max: 80 })

export const CreateDepartmentSchema = z.object({ name: DepartmentNameSchema })

/** A select that always has one of the page's roles chosen. */
const RoleSchema = setByPage(z.enum(ROLES, { errorMap: () => ({ message: 'Choose learner, manager or admin' }) }))

/** An empty select means "no department". */
const OptionalDepartmentSchema = RecordIdSchema.optional().transform((value) => value ?? null)

export const InviteSchema = z.object({
	intent: z.literal('invite'),
	email: EmailSchema,
	role: RoleSchema,
	departmentId: OptionalDepartmentSchema,
})

export const UpdateMemberSchema = z.object({
	intent: z.literal('update'),
	membershipId: RecordIdSchema,
	role: RoleSchema,
	departmentId: OptionalDepartmentSchema,
})

export const SetMemberActiveSchema = z.object({
	intent: z.literal('set-active'),
	membershipId: RecordIdSchema,
	active: setByPage(z.enum(['true', 'false'])).transform((value) => value === 'true'),
	/** Deactivating needs it (the confirmation step's button); reactivating does not. */
	confirmed: CONFIRMED,
})

/** The departments a manager is limited to; none ticked means the whole organisation. */
export const LimitManagerSchema = z.object({
	intent: z.literal('limit-departments'),
	membershipId: RecordIdSchema,
	departmentIds: ticked(RecordIdSchema),
})

export const MemberActionSchema = z.discriminatedUnion('intent', [UpdateMemberSchema, SetMemberActiveSchema, LimitManagerSchema])

export const RevokeInvitationSchema = z.object({ intent: z.literal('revoke'), invitationId: RecordIdSchema })

/** The CSV upload of a member import; the checkbox asks to deactivate members missing from the file. */
export const ImportUploadSchema = z.object({
	intent: z.literal('preview'),
	file: z.instanceof(File, { message: 'Choose a CSV file' }),
	deactivateMissing: z.boolean().default(false),
})

/** Applying the previewed import: the file's text and the plan's fingerprint come back from the preview page. */
export const ImportApplySchema = z.object({
	intent: z.literal('apply'),
	csv: setByPage(z.string()),
	fingerprint: setByPage(z.string().regex(/^[0-9a-f]{64}$/)),
	deactivateMissing: setByPage(z.enum(['true', 'false'])).transform((value) => value === 'true'),
})

export const MEMBER_STATUSES = { active: 'Active', deactivated: 'Deactivated', all: 'Active and deactivated' } as const

/** The member list's search, filters and page, from the URL. */
export const MemberListQuerySchema = z.object({
	q: SearchQuerySchema,
	role: optionalFilter(z.enum(ROLES, { errorMap: () => ({ message: 'Filter by learner, manager or admin' }) })),
	department: optionalFilter(IdSchema),
	status: optionalFilter(
		z.enum(Object.keys(MEMBER_STATUSES) as [keyof typeof MEMBER_STATUSES], { errorMap: () => ({ message: 'Filter by active or deactivated members' }) }),
	).transform((value) => value ?? 'active'),
	compliance: optionalFilter(z.enum(REQUIREMENT_STATUSES, { errorMap: () => ({ message: 'Filter by overdue, due, expiring or compliant' }) })),
	page: PageQuerySchema,
	/** The member whose deactivation the page asks the admin to confirm. */
	deactivate: optionalFilter(IdSchema),
})
export type MemberListQuery = z.infer<typeof MemberListQuerySchema>
