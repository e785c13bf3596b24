import type { Prisma } from '#app/generated/prisma/client.ts'
import type { z } from 'zod'
import { prisma } from './db.server.ts'
import { badRequest } from './http.server.ts'

/** A list page's query from the URL; a hand-edited URL that makes no sense gets a 400 that says why. */
export function readListQuery<Schema extends z.ZodTypeAny>(request: Request, schema: Schema): z.infer<Schema> {
	const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
	if (!parsed.success) throw badRequest(parsed.error.issues.map((issue) => issue.message).join('. '))
	return parsed.data
}

/** `%` and `_` are wildcards to LIKE; a search means them literally. */
export const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, '\\$&')}%`

const pageCountOf = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize))

async function readPage<Row extends Record<string, unknown>>(matching: Prisma.Sql, order: Prisma.Sql, key: keyof Row & string, page: number, pageSize: number) {
	// One statement for the page and the count of all that match, the count also when the page is empty.
	const rows = await prisma.$queryRaw<({ [Column in keyof Row]: Row[Column] | null } & { total: number })[]>`
		WITH matching AS (${matching}),
		page AS (SELECT * FROM matching ORDER BY ${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize})
		SELECT counted."total", page.*
		FROM (SELECT CAST(COUNT(*) AS INTEGER) AS "total" FROM matching) counted
		LEFT JOIN page ON TRUE
		ORDER BY ${order}`
	const total = rows[0]?.total ?? 0
	const items = rows.filter((row) => row[key] !== null).map(({ total: _total, ...item }) => item as unknown as Row)
	return { items, total, pageCount: pageCountOf(total, pageSize) }
}

/**
 * One page of the rows `matching` (a SELECT) selects, in `order` (which must end on a unique
 * column so pages never overlap), with how many match in all. `key` is a column never null in a
 * row. A page past the last (a stale link) shows the last one.
 */
export async function queryPage<Row extends Record<string, unknown>>({
	matching,
	order,
	key,
	page,
	pageSize,
}: {
	matching: Prisma.Sql
	order: Prisma.Sql
	key: keyof Row & string
	page: number
	pageSize: number
}) {
	const result = await readPage<Row>(matching, order, key, page, pageSize)
	if (result.items.length === 0 && page > result.pageCount) {
		return { ...(await readPage<Row>(matching, order, key, result.pageCount, pageSize)), page: result.pageCount }
	}
	return { ...result, page }
}

/** Where a list's action sends the browser back to: the same list, with `changes` to its query (null drops one). */
export function listUrlWith(request: Request, changes: Record<string, string | null>) {
	const url = new URL(request.url)
	for (const [name, value] of Object.entries(changes)) {
		if (value === null) url.searchParams.delete(name)
		else url.searchParams.set(name, value)
	}
	const search = url.searchParams.toString()
	return search ? `${url.pathname}?${search}` : url.pathname
}
