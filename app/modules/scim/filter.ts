import { SCIM_SCHEMAS, ScimError } from './errors.ts'
import { SCIM_MESSAGES } from './messages.ts'

// The part of RFC 7644's filter and path grammar (§3.4.2.2, §3.5.2) that provisioning clients
// send: `attribute eq value` joined by `and`, and attribute paths such as `name.givenName`,
// `emails[type eq "work"].value` or `members[value eq "…"]`. Anything else is refused.

export type FilterValue = string | number | boolean | null

/** `attribute eq value`; `attribute` may carry a sub-attribute (`emails.value`). */
export interface Comparison {
	attribute: string
	subAttribute?: string
	value: FilterValue
}

/** An attribute path: `name.givenName`, `emails[type eq "work"].value`, an extension's `urn:…:User:department`. */
export interface AttributePath {
	attribute: string
	/** Selects elements of a multi-valued attribute. */
	valueFilter?: Comparison[]
	subAttribute?: string
}

const MAX_LENGTH = 1_000
const MAX_COMPARISONS = 10

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: 'open' | 'close' }

function tokenize(text: string, refuse: () => ScimError): Token[] {
	const tokens: Token[] = []
	let index = 0
	while (index < text.length) {
		const char = text[index] as string
		if (/\s/.test(char)) {
			index++
		} else if (char === '[') {
			tokens.push({ kind: 'open' })
			index++
		} else if (char === ']') {
			tokens.push({ kind: 'close' })
			index++
		} else if (char === '"') {
			// A JSON string: find its closing quote past escaped ones, then let JSON decode the escapes.
			let end = index + 1
			while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1
			if (end >= text.length) throw refuse()
			try {
				tokens.push({ kind: 'string', text: JSON.parse(text.slice(index, end + 1)) as string })
			} catch {
				throw refuse()
			}
			index = end + 1
		} else {
			const word = /^[^\s[\]"()]+/.exec(text.slice(index))?.[0]
			if (!word) throw refuse()
			tokens.push({ kind: 'word', text: word })
			index += word.length
		}
	}
	return tokens
}

/** The core schemas' URNs are optional prefixes; an extension's URN names its attribute object. */
const EXTENSION_URNS = [SCIM_SCHEMAS.enterpriseUser]
const CORE_URNS = [SCIM_SCHEMAS.user, SCIM_SCHEMAS.group]

function splitName(name: string, refuse: () => ScimError): { attribute: string; subAttribute?: string } {
	const lower = name.toLowerCase()
	const extension = EXTENSION_URNS.find((urn) => lower.startsWith(`${urn.toLowerCase()}:`))
	if (extension) return { attribute: extension, subAttribute: checkedName(name.slice(extension.length + 1), refuse) }
	if (EXTENSION_URNS.some((urn) => lower === urn.toLowerCase())) return { attribute: name }
	const core = CORE_URNS.find((urn) => lower.startsWith(`${urn.toLowerCase()}:`))
	const local = core ? name.slice(core.length + 1) : name
	const [attribute, subAttribute, ...rest] = local.split('.')
	if (rest.length > 0 || attribute === undefined) throw refuse()
	return { attribute: checkedName(attribute, refuse), ...(subAttribute !== undefined ? { subAttribute: checkedName(subAttribute, refuse) } : {}) }
}

/** RFC 7643 §2.1: ATTRNAME = ALPHA *(nameChar), with `$ref` the one name starting otherwise. */
function checkedName(name: string, refuse: () => ScimError) {
	if (!/^(\$ref|[A-Za-z][\w-]*)$/.test(name)) throw refuse()
	return name
}

function valueOf(token: Token | undefined, refuse: () => ScimError): FilterValue {
	if (token?.kind === 'string') return token.text
	if (token?.kind !== 'word') throw refuse()
	const word = token.text.toLowerCase()
	if (word === 'true') return true
	if (word === 'false') return false
	if (word === 'null') return null
	if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word)
	throw refuse()
}

/** Reads `attr eq value (and attr eq value)*` from `tokens` at `start`, up to `end`. */
function readComparisons(tokens: Token[], start: number, end: number, refuse: () => ScimError) {
	const comparisons: Comparison[] = []
	let index = start
	for (;;) {
		const name = tokens[index]
		const operator = tokens[index + 1]
		if (name?.kind !== 'word' || operator?.kind !== 'word') throw refuse()
		if (operator.text.toLowerCase() !== 'eq') throw refuse()
		comparisons.push({ ...splitName(name.text, refuse), value: valueOf(tokens[index + 2], refuse) })
		index += 3
		if (index >= end) break
		const joiner = tokens[index]
		if (joiner?.kind !== 'word' || joiner.text.toLowerCase() !== 'and') throw refuse()
		index++
	}
	if (comparisons.length > MAX_COMPARISONS) throw refuse()
	return comparisons
}

/** A list request's `filter` as comparisons that must all hold; throws 400 `invalidFilter` for anything else. */
export function parseFilter(text: string): Comparison[] {
	const refuse = () => new ScimError(400, SCIM_MESSAGES.invalidFilter, 'invalidFilter')
	if (text.length > MAX_LENGTH) throw refuse()
	const tokens = tokenize(text, refuse)
	if (tokens.length === 0) throw refuse()
	// `emails[type eq "work"].value eq "…"`: the bracket narrows to the work address, which is the only one Bulwark keeps.
	const flattened: Token[] = []
	for (let index = 0; index < tokens.length; index++) {
		const token = tokens[index] as Token
		if (token.kind === 'word' && tokens[index + 1]?.kind === 'open') {
			const close = tokens.findIndex((candidate, at) => at > index && candidate.kind === 'close')
			const after = tokens[close + 1]
			if (close === -1 || after?.kind !== 'word' || !after.text.startsWith('.')) throw refuse()
			readComparisons(tokens, index + 2, close, refuse)
			flattened.push({ kind: 'word', text: `${token.text}${after.text}` })
			index = close + 1
		} else {
			flattened.push(token)
		}
	}
	if (flattened.some((token) => token.kind === 'open' || token.kind === 'close')) throw refuse()
	return readComparisons(flattened, 0, flattened.length, refuse)
}

/** A PATCH operation's `path`; throws 400 `invalidPath` when it is not one. */
export function parseAttributePath(text: string): AttributePath {
	const refuse = () => new ScimError(400, SCIM_MESSAGES.invalidPath, 'invalidPath')
	if (text.length > MAX_LENGTH) throw refuse()
	const tokens = tokenize(text, refuse)
	const [name, open] = tokens
	if (name?.kind !== 'word') throw refuse()
	if (tokens.length === 1) return splitName(name.text, refuse)
	const closeAt = tokens.findIndex((token) => token.kind === 'close')
	if (open?.kind !== 'open' || closeAt === -1 || closeAt < tokens.length - 2) throw refuse()
	const { attribute, subAttribute: nested } = splitName(name.text, refuse)
	if (nested !== undefined) throw refuse()
	const valueFilter = readComparisons(tokens, 2, closeAt, refuse)
	const tail = tokens[closeAt + 1]
	if (tail === undefined) return { attribute, valueFilter }
	if (tail.kind !== 'word' || !tail.text.startsWith('.')) throw refuse()
	return { attribute, valueFilter, subAttribute: checkedName(tail.text.slice(1), refuse) }
}
