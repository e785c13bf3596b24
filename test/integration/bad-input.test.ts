import { describe, expect, test } from 'vitest'
import { action as signupAction } from '#app/routes/signup.tsx'
import { action as loginAction } from '#app/routes/login.tsx'
import { action as newOrganisationAction } from '#app/routes/orgs.new.tsx'
import { action as membersAction, loader as membersLoader } from '#app/routes/org.$slug.members.tsx'
import { action as departmentsAction } from '#app/routes/org.$slug.departments.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { ALTERED_FORM_MESSAGE } from '#app/utils/form-submission.server.ts'
import {
	createOrganisationWithAdmin,
	createSessionCookie,
	expectData,
	expectThrownStatus,
	getRequest,
	postRequest,
	routeContext,
	thrownBy,
	uniqueEmail,
	PASSWORD,
} from '#tests/fixtures/users.ts'

// Bad input must get a 4xx with a message a person understands: never a 500, never half-written.

function rawPost(path: string, body: BodyInit | null, headers: Record<string, string> = {}) {
	return new Request(`http://localhost${path}`, { method: 'POST', body, headers })
}

describe('bodies that are not forms', () => {
	test.each([
		['no body at all', null, {}],
		['JSON', JSON.stringify({ email: 'a@example.test' }), { 'Content-Type': 'application/json' }],
		['plain text', 'email=a@example.test', { 'Content-Type': 'text/plain' }],
		['broken multipart', '--x\r\nnot a part', { 'Content-Type': 'multipart/form-data; boundary=x' }],
	])('%s: 400 with a readable message', async (_label, body, headers) => {
		for (const action of [signupAction, loginAction]) {
			const thrown = await thrownBy(action({ request: rawPost('/signup', body, headers), params: {}, context: routeContext() }))
			const result = expectData(thrown, 400)
			expect((result.data as { message: string }).message).toMatch(/did not carry a form/)
		}
	})
})

describe('control characters that PostgreSQL would refuse', () => {
	test('a NUL byte in the sign-up name answers 400 and creates no account', async () => {
		const email = uniqueEmail('nul')
		const result = await signupAction({
			request: postRequest('/signup', { name: 'Ada\u0000Lovelace', email, password: PASSWORD }),
			params: {},
			context: routeContext(),
		})
		expectData(result, 400)
		expect(await prisma.user.count({ where: { email } })).toBe(0)
	})

	test('a NUL byte in an organisation or department name, or in a member id, answers 400', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'nul' })
		const { cookie } = await createSessionCookie(admin.id)
		const params = { slug: organisation.slug }

		expectData(await newOrganisationAction({ request: postRequest('/orgs/new', { name: 'Acme\u0000' }, { cookie }), params: {}, context: routeContext() }), 400)
		expectData(
			await departmentsAction({ request: postRequest(`/org/${organisation.slug}/departments`, { name: 'Sales\u0000' }, { cookie }), params, context: routeContext() }),
			400,
		)
		// A member id is written by the page, so a broken one is an altered form: refused as a whole.
		const altered = await expectThrownStatus(
			membersAction({
				request: postRequest(`/org/${organisation.slug}/members`, { intent: 'set-active', membershipId: 'abc\u0000', active: 'false' }, { cookie }),
				params,
				context: routeContext(),
			}),
			400,
		)
		expect(altered.data).toEqual({ message: ALTERED_FORM_MESSAGE })
		expect(await prisma.department.count({ where: { organisationId: organisation.id } })).toBe(0)
	})

	test.each(['%00', 'Not A Slug', 'a'.repeat(65), '../etc'])('the organisation slug %j answers 404 without a query failing', async (slug) => {
		const { admin } = await createOrganisationWithAdmin({ prefix: 'slug' })
		const { cookie } = await createSessionCookie(admin.id)
		const thrown = await thrownBy(membersLoader({ request: getRequest(`/org/x/members`, { cookie }), params: { slug }, context: routeContext() }))
		expectData(thrown, 404)
	})
})
