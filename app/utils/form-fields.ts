import { z } from 'zod'

const HIDDEN_INPUT = 'bulwark:hidden-input'

/**
 * Marks a field whose value the page sets: a hidden input (a record's id), a button's value, or
 * a list that always has one of the page's own options chosen (a select with no empty choice, a
 * checkbox's value). A person cannot mistype it, so an error on it means the form was altered:
 * the server answers with a page-level message instead of an error nobody would see. Literal
 * fields and a discriminated union's discriminator (`intent`) count as set by the page by themselves.
 * A choice a person may leave empty ("Choose a course") stays unmarked: its error is theirs to fix.
 */
export function setByPage<Schema extends z.ZodTypeAny>(schema: Schema): Schema {
	return schema.describe(HIDDEN_INPUT) as Schema
}

export function isSetByPage(schema: z.ZodTypeAny) {
	return schema.description === HIDDEN_INPUT
}

/**
 * The confirmation step's button of a destructive action (deactivate, remove): without it the
 * server shows the step instead of acting, so neither a stray click nor an old form changes anything.
 */
export const CONFIRMED = setByPage(z.literal('yes').optional())
export const CONFIRMED_FIELD = { name: 'confirmed', value: 'yes' } as const
/** The step's element: links to it scroll there (on a phone it can sit below the fold). */
export const CONFIRM_STEP_ID = 'confirm-step'
