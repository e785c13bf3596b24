import type { ActionFunction } from '@remix-run/node'
import { beforeAll, describe, expect, test } from 'vitest'
import { createInvitation } from '#app/modules/organisations/invitations.server.ts'
import { loader as healthLoader } from '#app/routes/healthz.ts'
import { appRoutes, fillPath, hostileForms } from '#tests/fixtures/app-routes.ts'
import { MEMBERS_COURSE, openQuiz } from '#tests/fixtures/learning.ts'
import { createOrganisationWithAdmin, createSessionCookie, getRequest, isDataResult, routeContext, uniqueEmail } from '#tests/fixtures/users.ts'

// Every form of the app, found in app/routes, gets bodies no page sends, as the signed-in admin of
// an organisation (so each action gets as far as reading its form) or, where a signed-in user is
// sent away (log-in, sign-up), anonymously. A body over the limits must be refused with a 4xx; one
// within them (log-out, say, takes any form) may be answered, but never with a 5xx, and every
// answer stays small.

const MAX_ANSWER_BYTES = 200 * 1024

type Answer = { status: number; bytes: number; location: string | null }

/** What an action answered or threw, as status and size on the wire. */
async function answerOf(outcome: () => unknown): Promise<Answer> {
	const value = await Promise.resolve().then(outcome).catch((error: unknown) => error)
	if (value instanceof Response) {
		return { status: value.status, bytes: (await value.arrayBuffer()).byteLength, location: value.headers.get('Location') }
	}
	if (isDataResult(value)) return { status: value.init?.status ?? 200, bytes: Buffer.byteLength(JSON.stringify(value.data)), location: null }
	if (value instanceof Error) throw value
	return { status: 200, bytes: Buffer.byteLength(JSON.stringify(value ?? null)), location: null }
}

const routes = appRoutes('action')
let params: Record<string, string>
let adminId: string

beforeAll(async () => {
	const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'hostile' })
	adminId = admin.id
	// An open quiz, so the lesson's action reaches its quiz form.
	await openQuiz((await createSessionCookie(admin.id)).cookie, MEMBERS_COURSE, 'final-quiz')
	const { link } = await createInvitation({ organisationId: organisation.id, actorId: admin.id, email: uniqueEmail('hostile-invitee'), role: 'LEARNER', departmentId: null, origin: 'http://localhost' })
	params = { slug: organisation.slug, courseSlug: MEMBERS_COURSE, lessonSlug: 'final-quiz', token: link.split('/').pop() ?? '' }
})

test('the forms are found in app/routes', () => {
	// Sign-up, log-in, settings, organisations, members, lessons …: a lower count means discovery broke.
	expect(routes.length).toBeGreaterThanOrEqual(14)
	expect(routes.map((route) => route.pathTemplate)).toEqual(expect.arrayContaining(['/signup', '/login', '/org/:slug/members', '/courses/:courseSlug/:lessonSlug']))
})

describe.each(routes)('$pathTemplate', (route) => {
	test.each(hostileForms().map(([label, body, within]) => ({ label, body, within })))('$label, $within: no 5xx, under 200 KB', async ({ body, within }) => {
		// A session of its own: a body log-out accepts ends the session it was sent with.
		const { cookie } = await createSessionCookie(adminId)
		const { action } = (await import(`#app/routes/${route.file}`)) as { action: ActionFunction }
		const url = `http://localhost${fillPath(route, params)}`
		const post = (headers: Record<string, string>) =>
			action({ request: new Request(url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } }), params, context: routeContext() })

		let answer = await answerOf(() => post({ Cookie: cookie }))
		// Pages for anonymous visitors send a signed-in one elsewhere before reading anything.
		if (answer.status >= 300 && answer.status < 400) answer = await answerOf(() => post({}))

		if (within === 'over the limits') expect(answer.status, `answered ${answer.status}${answer.location ? ` → ${answer.location}` : ''}`).toBeGreaterThanOrEqual(400)
		expect(answer.status).toBeLessThan(500)
		expect(answer.bytes).toBeLessThan(MAX_ANSWER_BYTES)
	})
})

test('the server still answers afterwards', async () => {
	const health = await healthLoader({ request: getRequest('/healthz'), params: {}, context: routeContext() })
	expect(health.status).toBe(200)
})
