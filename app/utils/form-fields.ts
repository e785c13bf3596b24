import type { z } from 'zod'

const HIDDEN_INPUT = 'bulwark:hidden-input'

/**
 * Marks a field the page itself fills in (a hidden input, a button's value), such as a record's
 * id. A person cannot mistype it, so an error on it means the form was altered: the server
 * answers with a page-level message instead of an error beside an input nobody can see.
 * Literal fields and a discriminated union's discriminator (`intent`) count as hidden by themselves.
 */
export function hiddenInput<Schema extends z.ZodTypeAny>(schema: Schema): Schema {
	return schema.describe(HIDDEN_INPUT) as Schema
}

export function isMarkedHidden(schema: z.ZodTypeAny) {
	return schema.description === HIDDEN_INPUT
}
