import { ScimError } from './errors.ts'
import { type AttributePath, type Comparison, parseAttributePath } from './filter.ts'
import { SCIM_MESSAGES } from './messages.ts'

// RFC 7644 §3.5.2 PATCH, applied to a resource as JSON: the result is then validated and stored
// like a PUT, so a PATCH can never reach a state a PUT could not. Attribute names are
// case-insensitive (RFC 7643 §2.1), as clients' capitalisation varies.

export type PatchOp = 'add' | 'replace' | 'remove'

export interface PatchOperation {
	op: PatchOp
	path?: string
	value?: unknown
}

type JsonObject = Record<string, unknown>

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The key `name` has in `object`, matched case-insensitively, or `name` itself when absent. */
function keyIn(object: JsonObject, name: string) {
	const lower = name.toLowerCase()
	return Object.keys(object).find((key) => key.toLowerCase() === lower) ?? name
}

function sameValue(actual: unknown, expected: Comparison['value']) {
	if (typeof actual === 'string' && typeof expected === 'string') return actual.toLowerCase() === expected.toLowerCase()
	return actual === expected
}

function matches(element: unknown, filter: Comparison[]) {
	if (!isObject(element)) return false
	return filter.every((comparison) => {
		const value = element[keyIn(element, comparison.attribute)]
		const actual = comparison.subAttribute && isObject(value) ? value[keyIn(value, comparison.subAttribute)] : value
		return sameValue(actual, comparison.value)
	})
}

/** The element a filtered add creates when none matches: `emails[type eq "work"].value` → `{ type: 'work', value }`. */
function elementFor(filter: Comparison[]): JsonObject {
	return Object.fromEntries(filter.filter((comparison) => !comparison.subAttribute).map((comparison) => [comparison.attribute, comparison.value]))
}

/** add merges into what is there (appends to a list, merges an object); replace sets. */
function combined(op: PatchOp, existing: unknown, value: unknown) {
	if (op === 'add' && Array.isArray(existing)) return [...existing, ...(Array.isArray(value) ? value : [value])]
	if (op === 'add' && isObject(existing) && isObject(value)) return { ...existing, ...value }
	return value
}

function applyToAttribute(resource: JsonObject, op: PatchOp, path: AttributePath, value: unknown) {
	const key = keyIn(resource, path.attribute)
	const current = resource[key]
	if (!path.valueFilter) {
		if (path.subAttribute === undefined) {
			if (op === 'remove') delete resource[key]
			else resource[key] = combined(op, current, value)
			return
		}
		if (Array.isArray(current)) throw new ScimError(400, SCIM_MESSAGES.invalidPath, 'invalidPath')
		if (op === 'remove') {
			if (isObject(current)) delete current[keyIn(current, path.subAttribute)]
			return
		}
		const parent = isObject(current) ? current : {}
		const subKey = keyIn(parent, path.subAttribute)
		parent[subKey] = combined(op, parent[subKey], value)
		resource[key] = parent
		return
	}

	const list = Array.isArray(current) ? current : []
	const filter = path.valueFilter
	const selected = list.filter((element) => matches(element, filter))
	if (op === 'remove') {
		// Removing what is not there is done already: clients retry, and a second removal must not fail.
		if (path.subAttribute === undefined) resource[key] = list.filter((element) => !selected.includes(element))
		else for (const element of selected as JsonObject[]) delete element[keyIn(element, path.subAttribute)]
		return
	}
	if (path.subAttribute !== undefined) {
		const subAttribute = path.subAttribute
		if (selected.length === 0) resource[key] = [...list, { ...elementFor(filter), [subAttribute]: value }]
		for (const element of selected as JsonObject[]) element[keyIn(element, subAttribute)] = value
		return
	}
	if (!isObject(value)) throw new ScimError(400, SCIM_MESSAGES.invalidPath, 'invalidPath')
	if (selected.length === 0) {
		resource[key] = [...list, { ...elementFor(filter), ...value }]
		return
	}
	resource[key] = list.map((element) => (selected.includes(element) ? (op === 'add' ? { ...(element as JsonObject), ...value } : value) : element))
}

/** A copy of `resource` with the operations applied in order; the input is left as it was. */
export function applyPatch(resource: JsonObject, operations: PatchOperation[]): JsonObject {
	const result = structuredClone(resource)
	for (const { op, path, value } of operations) {
		if (path !== undefined) {
			applyToAttribute(result, op, parseAttributePath(path), value)
			continue
		}
		// Without a path the value holds the attributes to change: `{ "active": false }`, or
		// Entra's `{ "name.givenName": "Ada" }` whose keys are paths themselves.
		if (op === 'remove') throw new ScimError(400, SCIM_MESSAGES.noTarget, 'noTarget')
		if (!isObject(value)) throw new ScimError(400, SCIM_MESSAGES.patchValueNeeded, 'invalidValue')
		for (const [attributePath, attributeValue] of Object.entries(value)) {
			applyToAttribute(result, op, parseAttributePath(attributePath), attributeValue)
		}
	}
	return result
}
