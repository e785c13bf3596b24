import { z } from 'zod'
import { EmailSchema } from '#app/modules/auth/schemas.ts'
import { ROLES } from './roles.ts'

export const OrganisationNameSchema = z
	.string({ required_error: 'Enter the organisation’s name' })
	.trim()
	.min(2, 'Use at least 2 characters')
	.max(80, 'Use at most 80 characters')

export const CreateOrganisationSchema = z.object({ name: OrganisationNameSchema })

export const DepartmentNameSchema = z
	.string({ required_error: 'Enter a department name' })
	.trim()
	.min(1, 'Enter a department name')
	.max(80, 'Use at most 80 characters')

export const CreateDepartmentSchema = z.object({ name: DepartmentNameSchema })

const RoleSchema = z.enum(ROLES, { errorMap: () => ({ message: 'Choose learner, manager or admin' }) })

/** An empty select means "no department". */
const OptionalDepartmentSchema = z
	.string()
	.max(64)
	.optional()
	.transform((value) => value || null)

export const InviteSchema = z.object({
	email: EmailSchema,
	role: RoleSchema,
	departmentId: OptionalDepartmentSchema,
})

export const UpdateMemberSchema = z.object({
	intent: z.literal('update'),
	membershipId: z.string().min(1).max(64),
	role: RoleSchema,
	departmentId: OptionalDepartmentSchema,
})

export const SetMemberActiveSchema = z.object({
	intent: z.literal('set-active'),
	membershipId: z.string().min(1).max(64),
	active: z.enum(['true', 'false']).transform((value) => value === 'true'),
})

export const MemberActionSchema = z.discriminatedUnion('intent', [UpdateMemberSchema, SetMemberActiveSchema])

export const RevokeInvitationSchema = z.object({ intent: z.literal('revoke'), invitationId: z.string().min(1).max(64) })
