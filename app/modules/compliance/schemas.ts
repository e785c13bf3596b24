import { z } from 'zod'
import { IdSchema, RecordIdSchema, ticked } from '#app/modules/auth/schemas.ts'
import { COURSE_SLUG_PATTERN } from '#app/modules/courses/course-schema.ts'
import { ROLES } from '#app/modules/organisations/roles.ts'
import { CONFIRMED, setByPage } from '#app/utils/form-fields.ts'
import { optionalFilter, PageQuerySchema, SearchQuerySchema } from '#app/utils/list-query.ts'
import { AUDIENCES } from './audience.ts'
import { REQUIREMENT_STATUSES } from './status.ts'

const whole = (label: string, min: number, max: number) =>
	z.coerce
		.number({ invalid_type_error: `Enter the ${label} as a whole number` })
		.int(`Enter the ${label} as a whole number`)
		.min(min, `The ${label} is at least ${min}`)
		.max(max, `The ${label} is at most ${max}`)

const DueWithinDaysSchema = whole('number of days', 1, 365)
/** Empty means the course's own validity. */
const RecurrenceMonthsSchema = z.preprocess((value) => (value === '' ? undefined : value), whole('number of months', 1, 60).optional())

export const CreateRequirementSchema = z
	.object({
		intent: z.literal('create'),
		courseSlug: z.string({ required_error: 'Choose a course' }).max(80, 'Choose a course from the list').regex(COURSE_SLUG_PATTERN, 'Choose a course from the list'),
		audience: z.enum(AUDIENCES, { errorMap: () => ({ message: 'Choose who must complete it' }) }),
		departmentIds: ticked(RecordIdSchema),
		roles: ticked(setByPage(z.enum(ROLES, { errorMap: () => ({ message: 'Choose learner, manager or admin' }) }))),
		dueWithinDays: DueWithinDaysSchema,
		recurrenceMonths: RecurrenceMonthsSchema,
	})
	.superRefine((value, context) => {
		if (value.audience === 'DEPARTMENTS' && value.departmentIds.length === 0) {
			context.addIssue({ code: 'custom', path: ['departmentIds'], message: 'Tick at least one department' })
		}
		if (value.audience === 'ROLES' && value.roles.length === 0) {
			context.addIssue({ code: 'custom', path: ['roles'], message: 'Tick at least one role' })
		}
	})

/** Adjusting a requirement in place: its days and recurrence (the baseline's, say). */
export const AdjustRequirementSchema = z.object({
	intent: z.literal('adjust'),
	requirementId: RecordIdSchema,
	dueWithinDays: DueWithinDaysSchema,
	recurrenceMonths: RecurrenceMonthsSchema,
})

/** The list's buttons; the create and adjust forms have their own schemas above. */
export const RequirementActionSchema = z.discriminatedUnion('intent', [
	z.object({ intent: z.literal('pause'), requirementId: RecordIdSchema }),
	z.object({ intent: z.literal('resume'), requirementId: RecordIdSchema }),
	z.object({ intent: z.literal('remove'), requirementId: RecordIdSchema, confirmed: CONFIRMED }),
	z.object({ intent: z.literal('apply-baseline') }),
])

/** The requirements page's query: the requirement whose removal it asks the admin to confirm. */
export const RequirementsQuerySchema = z.object({ remove: optionalFilter(IdSchema) })

export const MEMBER_SORTS = { name: 'Name', status: 'Status, worst first', due: 'Due date, soonest first', department: 'Department' } as const

/** The member table's search parameters. */
export const MemberTableQuerySchema = z.object({
	q: SearchQuerySchema,
	status: optionalFilter(z.enum(REQUIREMENT_STATUSES, { errorMap: () => ({ message: 'Filter by overdue, due, expiring or compliant' }) })),
	department: optionalFilter(IdSchema),
	sort: z.preprocess((value) => (value === '' ? undefined : value), z.enum(Object.keys(MEMBER_SORTS) as [keyof typeof MEMBER_SORTS], { errorMap: () => ({ message: 'Sort by name, status, due date or department' }) }).default('status')),
	page: PageQuerySchema,
})
export type MemberTableQuery = z.infer<typeof MemberTableQuerySchema>

/** The dashboard's reminder buttons: everyone due or overdue, or one member. */
export const ReminderActionSchema = z.discriminatedUnion('intent', [
	z.object({ intent: z.literal('remind-all') }),
	z.object({ intent: z.literal('remind'), membershipId: RecordIdSchema }),
])

/** The statements page's one button. */
export const IssueStatementSchema = z.object({ intent: z.literal('issue') })
