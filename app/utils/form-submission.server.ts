import type { Submission, SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { z } from 'zod'
import { isSetByPage } from './form-fields.ts'
import { badRequest } from './http.server.ts'

/**
 * What one form submission may ask of the server. Conform turns `name[7]` into an array with
 * eight slots and `a.b.c` into nested objects, so a 70-byte body naming index 99,999,999 would
 * make the server allocate (and echo) a hundred million slots; these bounds are checked on the
 * raw field names, before anything is built from them. The app's largest form (a quiz) sends
 * about 60 fields with names under 60 characters, one level deep.
 */
export const FORM_LIMITS = {
	fields: 500,
	nameLength: 120,
	depth: 4,
	listIndex: 99,
	/** The longest value a reply echoes back: above every field's own maximum (a redirect path's 2,000). */
	echoedValueLength: 2_000,
} as const

/** Names as the app's forms write them: `email`, `answers.2fa-codes`, `items[3].title`. */
const FIELD_NAME = /^[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d{1,9}\])*$/
const SEGMENT = /\.?([A-Za-z_][\w-]*|(?<=\.)[\w-]+)|\[(\d+)\]/g

/** Conform's own control fields; the app's forms never send them, and their JSON is unbounded. */
const RESERVED_NAMES = new Set(['__intent__', '__state__'])

const REFUSED = 'This form could not be read: it does not look like one of our forms. Reload the page and submit it again.'
export const ALTERED_FORM_MESSAGE = 'This form was changed before it was sent, so nothing was saved. Reload the page and try again.'

/** The path segments of a field name (object keys and list indexes), or null when it is not a name our forms use. */
function segmentsOf(name: string) {
	if (name.length > FORM_LIMITS.nameLength || !FIELD_NAME.test(name)) return null
	return Array.from(name.matchAll(SEGMENT), (match) => (match[1] !== undefined ? match[1] : Number(match[2])))
}

/** Why a form is refused before parsing, or null when it is within bounds. */
export function findFormProblem(formData: FormData): string | null {
	let fields = 0
	for (const name of formData.keys()) {
		if (++fields > FORM_LIMITS.fields) return `This form sends more than ${FORM_LIMITS.fields} fields, more than any of our forms has.`
		if (RESERVED_NAMES.has(name)) return REFUSED
		const segments = segmentsOf(name)
		if (!segments || segments.length > FORM_LIMITS.depth) return REFUSED
		if (segments.some((segment) => typeof segment === 'number' && segment > FORM_LIMITS.listIndex)) return REFUSED
	}
	return null
}

/**
 * The submitted form, within FORM_LIMITS, or a 400 with a readable message: also when the body
 * is not a form at all (no body, JSON, broken multipart), where `request.formData()` would throw.
 * Every action reads its form here (a test keeps it so).
 */
export async function readForm(request: Request) {
	let formData: FormData
	try {
		formData = await request.formData()
	} catch {
		throw badRequest('This request did not carry a form we could read. Reload the page and submit the form again.')
	}
	const problem = findFormProblem(formData)
	if (problem) throw badRequest(problem)
	return formData
}

/** The fields a schema declares, as a tree; `hidden` marks what the page fills in itself. */
type FieldTree = { hidden: boolean; keys?: Map<string, FieldTree>; element?: FieldTree }

function merge(into: FieldTree, from: FieldTree): FieldTree {
	const keys = into.keys || from.keys ? new Map(into.keys) : undefined
	for (const [key, tree] of from.keys ?? []) {
		const existing = keys?.get(key)
		keys?.set(key, existing ? merge(existing, tree) : tree)
	}
	const element = into.element && from.element ? merge(into.element, from.element) : (into.element ?? from.element)
	return { hidden: into.hidden && from.hidden, keys, element }
}

function fieldTreeOf(schema: z.ZodTypeAny): FieldTree {
	const hidden = isSetByPage(schema)
	const withMark = (tree: FieldTree) => (hidden ? { ...tree, hidden } : tree)
	if (schema instanceof z.ZodEffects) return withMark(fieldTreeOf(schema.innerType()))
	if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault || schema instanceof z.ZodCatch || schema instanceof z.ZodReadonly) {
		return withMark(fieldTreeOf(schema._def.innerType))
	}
	if (schema instanceof z.ZodPipeline) return withMark(fieldTreeOf(schema._def.in))
	if (schema instanceof z.ZodBranded) return withMark(fieldTreeOf(schema.unwrap()))
	if (schema instanceof z.ZodObject) {
		const shape = schema.shape as Record<string, z.ZodTypeAny>
		return { hidden, keys: new Map(Object.entries(shape).map(([key, field]) => [key, fieldTreeOf(field)])) }
	}
	if (schema instanceof z.ZodDiscriminatedUnion) {
		const options = (schema.options as z.ZodTypeAny[]).map(fieldTreeOf)
		const tree = options.reduce(merge)
		// The discriminator picks the form; it is always written by the page.
		tree.keys?.set(schema.discriminator, { hidden: true })
		return withMark(tree)
	}
	if (schema instanceof z.ZodUnion) return withMark((schema.options as z.ZodTypeAny[]).map(fieldTreeOf).reduce(merge))
	if (schema instanceof z.ZodIntersection) return withMark(merge(fieldTreeOf(schema._def.left), fieldTreeOf(schema._def.right)))
	if (schema instanceof z.ZodArray) return { hidden, element: fieldTreeOf(schema.element) }
	return { hidden: hidden || schema instanceof z.ZodLiteral }
}

type Payload = Submission<unknown>['payload'][string]

/**
 * The part of a submitted value the schema knows, in the shape it declares: what a reply may echo
 * back to the browser. A list only where the schema has one, values cut to a bounded length.
 */
function prune(value: Payload | undefined, tree: FieldTree): Payload | undefined {
	if (value === undefined) return undefined
	// One ticked box of a list arrives as a plain value.
	if (typeof value === 'string') return tree.keys ? undefined : tree.element ? prune(value, tree.element) : value.slice(0, FORM_LIMITS.echoedValueLength)
	if (Array.isArray(value)) {
		const element = tree.element
		if (!element) return undefined
		return value.map((item) => prune(item, element) ?? '')
	}
	if (value instanceof File || !tree.keys) return undefined
	const kept: Record<string, Payload> = {}
	for (const [key, child] of tree.keys) {
		const pruned = prune(value[key], child)
		if (pruned !== undefined) kept[key] = pruned
	}
	return kept
}

/** The schema's entry for a Conform field name (`answers.q1[0]`), or undefined when it has none. */
function lookUp(tree: FieldTree, name: string) {
	let node: FieldTree | undefined = tree
	for (const segment of segmentsOf(name) ?? []) {
		if (node.hidden) return node
		node = typeof segment === 'number' ? (node.element ?? node) : node.keys?.get(segment)
		if (!node) return undefined
	}
	return node
}

/**
 * Parses a form read by `readForm` with its Zod schema, the same one Conform checks in the
 * browser. The reply echoes only the fields the schema knows, so no request can make an answer
 * larger than the form it belongs to; an error on a field the page fills in itself (an `intent`,
 * a hidden id) means the form was altered, and answers 400 with a page-level message rather than
 * an error beside an input nobody can see.
 */
export function parseSubmission<Schema extends z.ZodTypeAny>(formData: FormData, schema: Schema) {
	const submission = parseWithZod(formData, { schema })
	const tree = fieldTreeOf(schema)
	if (submission.status === 'error' && Object.keys(submission.error ?? {}).some((name) => name !== '' && lookUp(tree, name)?.hidden)) {
		throw badRequest(ALTERED_FORM_MESSAGE)
	}
	const reply = submission.reply.bind(submission)
	submission.reply = (options) => {
		const result: SubmissionResult<string[]> = reply(options)
		const initialValue = result.initialValue ? (prune(result.initialValue, tree) as SubmissionResult['initialValue']) : result.initialValue
		return { ...result, initialValue, fields: result.fields?.filter((name) => lookUp(tree, name) !== undefined) }
	}
	return submission
}

/** Reads and parses a form in one step, for actions with a single schema. */
export async function readSubmission<Schema extends z.ZodTypeAny>(request: Request, schema: Schema) {
	return parseSubmission(await readForm(request), schema)
}

/**
 * The `intent` of a page with several forms, one of `intents`; anything else is an altered form.
 * Each branch then parses the form with its own schema.
 */
export function readIntent<Intent extends string>(formData: FormData, intents: readonly Intent[]): Intent {
	const intent = formData.get('intent')
	if (typeof intent === 'string' && (intents as readonly string[]).includes(intent)) return intent as Intent
	throw badRequest(ALTERED_FORM_MESSAGE)
}
