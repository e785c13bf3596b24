import { describe, expect, test } from 'vitest'
import { ScimError } from './errors.ts'
import { parseAttributePath, parseFilter } from './filter.ts'

function refusal(work: () => unknown) {
	try {
		work()
	} catch (error) {
		if (error instanceof ScimError) return { status: error.status, scimType: error.scimType }
		throw error
	}
	throw new Error('Expected a ScimError')
}

describe('parseFilter', () => {
	test('userName eq, as Entra ID and Okta send it', () => {
		expect(parseFilter('userName eq "ada@example.com"')).toEqual([{ attribute: 'userName', value: 'ada@example.com' }])
	})

	test('operators and attribute names in any case, and the core schema URN as a prefix', () => {
		expect(parseFilter('externalId EQ "abc"')).toEqual([{ attribute: 'externalId', value: 'abc' }])
		expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a@b.c"')).toEqual([{ attribute: 'userName', value: 'a@b.c' }])
	})

	test('and joins comparisons', () => {
		expect(parseFilter('id eq "g1" and members.value eq "m1"')).toEqual([
			{ attribute: 'id', value: 'g1' },
			{ attribute: 'members', subAttribute: 'value', value: 'm1' },
		])
	})

	test('Entra ID’s emails[type eq "work"].value is read as emails.value', () => {
		expect(parseFilter('emails[type eq "work"].value eq "ada@example.com"')).toEqual([{ attribute: 'emails', subAttribute: 'value', value: 'ada@example.com' }])
	})

	test('JSON escapes in the value, and literals', () => {
		expect(parseFilter('displayName eq "Sales \\"EMEA\\""')).toEqual([{ attribute: 'displayName', value: 'Sales "EMEA"' }])
		expect(parseFilter('active eq false')).toEqual([{ attribute: 'active', value: false }])
	})

	test.each([
		['another operator', 'userName co "ada"'],
		['or', 'userName eq "a" or userName eq "b"'],
		['not', 'not (userName eq "a")'],
		['parentheses', '(userName eq "a")'],
		['a missing value', 'userName eq'],
		['an unclosed string', 'userName eq "ada'],
		['a bare word as value', 'userName eq ada'],
		['a dangling and', 'userName eq "a" and'],
		['an attribute name that is none', '1user eq "a"'],
		['an empty filter', '   '],
		['a filter past 1,000 characters', `userName eq "${'a'.repeat(1_000)}"`],
	])('%s is a 400 invalidFilter', (_label, filter) => {
		expect(refusal(() => parseFilter(filter))).toEqual({ status: 400, scimType: 'invalidFilter' })
	})
})

describe('parseAttributePath', () => {
	test('simple, nested and extension attributes', () => {
		expect(parseAttributePath('active')).toEqual({ attribute: 'active' })
		expect(parseAttributePath('name.givenName')).toEqual({ attribute: 'name', subAttribute: 'givenName' })
		expect(parseAttributePath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department')).toEqual({
			attribute: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
			subAttribute: 'department',
		})
	})

	test('a value filter, with or without a sub-attribute', () => {
		expect(parseAttributePath('members[value eq "m1"]')).toEqual({ attribute: 'members', valueFilter: [{ attribute: 'value', value: 'm1' }] })
		expect(parseAttributePath('emails[type eq "work"].value')).toEqual({
			attribute: 'emails',
			valueFilter: [{ attribute: 'type', value: 'work' }],
			subAttribute: 'value',
		})
	})

	test.each([['a.b.c'], ['members[value eq "m1"'], ['members[value eq "m1"]x'], ['members[value co "m1"]'], ['__proto__'], ['']])('%j is a 400 invalidPath', (path) => {
		expect(refusal(() => parseAttributePath(path))).toEqual({ status: 400, scimType: 'invalidPath' })
	})
})
