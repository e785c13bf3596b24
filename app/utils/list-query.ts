import { z } from 'zod'

// The pieces of a list page's query string (search, filters, page). It comes from a link or a
// hand-edited URL, so every field is forgiving: an empty one means "any".

export const SearchQuerySchema = z
	.string()
	.trim()
	.max(100, 'Search for at most 100 characters')
	.refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'Search with letters, digits, spaces and punctuation only')
	.optional()
	.default('')

export const PageQuerySchema = z.coerce
	.number({ invalid_type_error: 'The page is a whole number' })
	.int('The page is a whole number')
	.min(1, 'Pages start at 1')
	.max(100_000, 'There are not that many pages')
	.default(1)

/** A filter's select: its empty "Any …" choice means no filter. */
export const optionalFilter = <Schema extends z.ZodTypeAny>(schema: Schema) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional())
