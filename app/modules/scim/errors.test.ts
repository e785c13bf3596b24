import { expect, test } from 'vitest'
import { ScimError, scimErrorResponse, scimResponse } from './errors.ts'
import { selectAttributes } from './resources.ts'

test('an error is SCIM JSON: its schema, status as a string, scimType and detail (RFC 7644 §3.12)', async () => {
	const response = scimErrorResponse(new ScimError(400, 'Bad filter', 'invalidFilter'))
	expect(response.status).toBe(400)
	expect(response.headers.get('Content-Type')).toBe('application/scim+json; charset=utf-8')
	expect(response.headers.get('Cache-Control')).toBe('no-store')
	expect(await response.json()).toEqual({
		schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
		status: '400',
		scimType: 'invalidFilter',
		detail: 'Bad filter',
	})
})

test('an error without a scimType leaves it out, and carries its headers', async () => {
	const response = scimErrorResponse(new ScimError(401, 'No token', undefined, { 'WWW-Authenticate': 'Bearer' }))
	expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
	expect(await response.json()).not.toHaveProperty('scimType')
})

test('204 has no body and no content type', async () => {
	const response = scimResponse(null, 204)
	expect(response.headers.get('Content-Type')).toBeNull()
	expect(await response.text()).toBe('')
})

test('attributes and excludedAttributes select top-level attributes; id, schemas and meta always stay', () => {
	const group = { schemas: ['g'], id: '1', displayName: 'Sales', members: [], meta: {} }
	expect(selectAttributes(group, { excludedAttributes: 'members' })).toEqual({ schemas: ['g'], id: '1', displayName: 'Sales', meta: {} })
	expect(selectAttributes(group, { attributes: 'DisplayName' })).toEqual({ schemas: ['g'], id: '1', displayName: 'Sales', meta: {} })
})
