import { describe, expect, test } from 'vitest'
import { ScimError } from './errors.ts'
import { applyPatch } from './patch.ts'
import { PatchOpSchema, ScimUserSchema } from './schemas.ts'

const user = () => ({
	id: 'm1',
	userName: 'ada@example.com',
	displayName: 'Ada Lovelace',
	name: { formatted: 'Ada Lovelace' },
	emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
	active: true,
})

/** Operations as a client sends them, read by the same schema the endpoint uses. */
const operations = (...ops: unknown[]) => PatchOpSchema.parse({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: ops }).Operations

describe('PatchOp bodies', () => {
	test('op is read in any case: Entra ID sends "Replace"', () => {
		expect(operations({ op: 'Replace', path: 'active', value: 'False' }, { op: 'ADD', path: 'x', value: 1 }, { op: 'remove', path: 'y' }).map((op) => op.op)).toEqual([
			'replace',
			'add',
			'remove',
		])
	})

	test('an op that is none of add, replace and remove is refused', () => {
		expect(PatchOpSchema.safeParse({ Operations: [{ op: 'move', path: 'active' }] }).success).toBe(false)
		expect(PatchOpSchema.safeParse({ Operations: [] }).success).toBe(false)
	})
})

describe('applyPatch', () => {
	test('Entra ID’s replace of active with the string "False" deactivates', () => {
		const patched = applyPatch(user(), operations({ op: 'Replace', path: 'active', value: 'False' }))
		expect(ScimUserSchema.parse(patched).active).toBe(false)
	})

	test('Okta’s replace without a path, with the attributes as its value', () => {
		expect(applyPatch(user(), operations({ op: 'replace', value: { active: false } })).active).toBe(false)
	})

	test('a value object whose keys are paths (Entra ID’s "name.givenName")', () => {
		const patched = applyPatch(user(), operations({ op: 'Replace', value: { 'name.givenName': 'Augusta', displayName: 'Augusta Ada King' } }))
		expect(patched).toMatchObject({ displayName: 'Augusta Ada King', name: { formatted: 'Ada Lovelace', givenName: 'Augusta' } })
	})

	test('attribute names match in any case', () => {
		const patched = applyPatch(user(), operations({ op: 'replace', path: 'DisplayName', value: 'A. L.' }))
		expect(patched.displayName).toBe('A. L.')
		expect(Object.keys(patched).filter((key) => key.toLowerCase() === 'displayname')).toEqual(['displayName'])
	})

	test('a filtered path replaces the matching element’s sub-attribute', () => {
		const patched = applyPatch(user(), operations({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'ada@lovelace.example' }))
		expect(patched.emails).toEqual([{ value: 'ada@lovelace.example', type: 'work', primary: true }])
	})

	test('a filtered add with no match appends an element made from the filter', () => {
		const patched = applyPatch(user(), operations({ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+44 20 7946 0000' }))
		expect(patched.phoneNumbers).toEqual([{ type: 'mobile', value: '+44 20 7946 0000' }])
	})

	test('add appends to a list; remove with a filter takes out what matches, and again is no error', () => {
		const group = { displayName: 'Sales', members: [{ value: 'a' }, { value: 'b' }] }
		const added = applyPatch(group, operations({ op: 'add', path: 'members', value: [{ value: 'c' }] }))
		expect(added.members).toEqual([{ value: 'a' }, { value: 'b' }, { value: 'c' }])
		const removed = applyPatch(added, operations({ op: 'remove', path: 'members[value eq "b"]' }, { op: 'remove', path: 'members[value eq "b"]' }))
		expect(removed.members).toEqual([{ value: 'a' }, { value: 'c' }])
	})

	test('remove clears an attribute; the input stays as it was', () => {
		const original = { ...user(), externalId: 'x-1' }
		const patched = applyPatch(original, operations({ op: 'remove', path: 'externalId' }))
		expect(patched).not.toHaveProperty('externalId')
		expect(original.externalId).toBe('x-1')
	})

	test.each([
		['remove without a path', { op: 'remove' }, 'noTarget'],
		['add without a path or an object', { op: 'add', value: 'x' }, 'invalidValue'],
		['a path that is none', { op: 'replace', path: 'a..b', value: 1 }, 'invalidPath'],
	])('%s is a 400', (_label, op, scimType) => {
		try {
			applyPatch(user(), operations(op))
		} catch (error) {
			expect(error).toBeInstanceOf(ScimError)
			expect({ status: (error as ScimError).status, scimType: (error as ScimError).scimType }).toEqual({ status: 400, scimType })
			return
		}
		throw new Error('Expected a ScimError')
	})
})
