import { describe, expect, test } from 'vitest'
import { addMonths } from '#app/modules/courses/completion.ts'
import { loader as catalogueLoader } from '#app/routes/courses._index.tsx'
import { loader as dashboardLoader } from '#app/routes/dashboard.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { certificateCodeFrom, FREE_COURSE, lessonUrl, MEMBERS_COURSE, openLesson, passCourse, postLesson } from '#tests/fixtures/learning.ts'
import {
	addMember,
	createOrganisationWithAdmin,
	createSessionCookie,
	createUser,
	expectData,
	expectRedirect,
	getRequest,
	routeContext,
	thrownBy,
} from '#tests/fixtures/users.ts'

const dashboard = (cookie?: string) => dashboardLoader({ request: getRequest('/dashboard', { cookie }), params: {}, context: routeContext() })
const catalogue = (search = '', cookie?: string) => catalogueLoader({ request: getRequest(`/courses${search}`, { cookie }), params: {}, context: routeContext() })

async function signedIn(prefix: string) {
	const user = await createUser({ prefix })
	const { cookie } = await createSessionCookie(user.id)
	return { user, cookie }
}

describe('the dashboard', () => {
	test('is empty for a new learner and sends visitors without a session to log in', async () => {
		const { user, cookie } = await signedIn('fresh')
		expect(await dashboard(cookie)).toMatchObject({ name: user.name, inProgress: [], completed: [], organisations: [] })
		expectRedirect(await thrownBy(dashboard()), `/login?${new URLSearchParams({ redirectTo: '/dashboard' })}`)
	})

	test('lists a started course as in progress with the lesson to resume and the lessons done', async () => {
		const { cookie } = await signedIn('in-progress')
		await openLesson(cookie, FREE_COURSE, 'first')

		let page = await dashboard(cookie)
		expect(page.completed).toEqual([])
		expect(page.inProgress).toHaveLength(1)
		expect(page.inProgress[0]).toMatchObject({
			slug: FREE_COURSE,
			title: 'Demo course',
			resumeLesson: { slug: 'first', title: 'First lesson' },
			standing: { run: { doneLessons: 0, completed: false }, latest: null },
		})

		expectRedirect(await postLesson(cookie, FREE_COURSE, 'first', { intent: 'complete' }), lessonUrl(FREE_COURSE, 'check'))
		await openLesson(cookie, FREE_COURSE, 'check')
		page = await dashboard(cookie)
		expect(page.inProgress[0]).toMatchObject({
			slug: FREE_COURSE,
			resumeLesson: { slug: 'check', title: 'Check' },
			standing: { run: { doneLessons: 1, completed: false } },
		})
	})

	test('lists a completed course with its certificate, status and expiry, and no longer as in progress', async () => {
		const { cookie } = await signedIn('completed')
		const code = certificateCodeFrom(await passCourse(cookie, FREE_COURSE))
		const completion = await prisma.courseCompletion.findUniqueOrThrow({ where: { certificateCode: code } })

		const page = await dashboard(cookie)

		expect(page.inProgress).toEqual([])
		expect(page.completed).toHaveLength(1)
		expect(page.completed[0]).toMatchObject({
			slug: FREE_COURSE,
			standing: {
				run: { completed: true, doneLessons: 2 },
				latest: { certificateCode: code, courseTitle: 'Demo course', status: 'valid', completedAt: completion.completedAt, expiresAt: addMonths(completion.completedAt, 12) },
			},
		})
	})

	test('shows an expired completion as expired, and a renewal in progress beside it', async () => {
		const { organisation } = await createOrganisationWithAdmin({ prefix: 'dash-org' })
		const { user } = await addMember(organisation.id)
		const { cookie } = await createSessionCookie(user.id)
		const code = certificateCodeFrom(await passCourse(cookie, MEMBERS_COURSE))
		await prisma.courseCompletion.update({ where: { certificateCode: code }, data: { expiresAt: new Date(Date.now() - 24 * 60 * 60 * 1000) }, select: { id: true } })
		await openLesson(cookie, FREE_COURSE, 'first')

		const page = await dashboard(cookie)
		expect(page.completed.map((course) => [course.slug, course.standing.latest?.status])).toEqual([[MEMBERS_COURSE, 'expired']])
		expect(page.inProgress.map((course) => course.slug)).toEqual([FREE_COURSE])
		expect(page.organisations.map((entry) => entry.organisation.id)).toEqual([organisation.id])
	})
})

describe('the catalogue', () => {
	test('lists every course, free ones first, for visitors too', async () => {
		const page = expectData(await catalogue(), 200).data
		const slugs = page.courses.map((course: { slug: string }) => course.slug)
		expect(slugs).toEqual([FREE_COURSE, MEMBERS_COURSE])
		expect(page).toMatchObject({ signedIn: false, member: false, topic: null, unknownTopic: false })
		expect(page.topics).toEqual([
			{ slug: 'phishing', label: 'Phishing & social engineering', count: 1 },
			{ slug: 'passwords', label: 'Passwords & MFA', count: 1 },
		])
	})

	test('shows a signed-in learner’s progress and completions', async () => {
		const { cookie } = await signedIn('catalogue-progress')
		const code = certificateCodeFrom(await passCourse(cookie, FREE_COURSE))

		const page = expectData(await catalogue('', cookie), 200).data
		expect(page).toMatchObject({ signedIn: true, member: false })
		const free = page.courses.find((course: { slug: string }) => course.slug === FREE_COURSE)
		expect(free.standing).toMatchObject({ run: { completed: true }, latest: { certificateCode: code, status: 'valid' } })
		const members = page.courses.find((course: { slug: string }) => course.slug === MEMBERS_COURSE)
		expect(members.standing).toEqual({ run: null, latest: null })
	})

	test('says whether the learner is a member, and lists in their language', async () => {
		const { organisation } = await createOrganisationWithAdmin({ prefix: 'catalogue-org' })
		const { user } = await addMember(organisation.id)
		const { cookie } = await createSessionCookie(user.id)
		await openLesson(cookie, MEMBERS_COURSE, 'basics')
		await prisma.user.update({ where: { id: user.id }, data: { language: 'de' }, select: { id: true } })

		const page = expectData(await catalogue('', cookie), 200).data
		expect(page.member).toBe(true)
		const members = page.courses.find((course: { slug: string }) => course.slug === MEMBERS_COURSE)
		expect(members).toMatchObject({ title: 'Mitgliederkurs', language: 'de', resumeLesson: { slug: 'basics', title: 'Die Grundlagen' } })
	})

	test('filters by topic', async () => {
		const phishing = expectData(await catalogue('?topic=phishing'), 200).data
		expect(phishing.topic).toBe('phishing')
		expect(phishing.courses.map((course: { slug: string }) => course.slug)).toEqual([FREE_COURSE])

		const passwords = expectData(await catalogue('?topic=passwords'), 200).data
		expect(passwords.courses.map((course: { slug: string }) => course.slug)).toEqual([MEMBERS_COURSE])

		const none = expectData(await catalogue('?topic=malware'), 200).data
		expect(none).toMatchObject({ topic: 'malware', courses: [], unknownTopic: false })
	})

	test.each(['no-such-topic', 'Phishing', 'constructor', 'toString', '__proto__'])('the unknown topic %j answers 400 and lists every course', async (topic) => {
		const page = expectData(await catalogue(`?${new URLSearchParams({ topic })}`), 400).data
		expect(page).toMatchObject({ topic: null, unknownTopic: true })
		expect(page.courses.map((course: { slug: string }) => course.slug)).toEqual([FREE_COURSE, MEMBERS_COURSE])
	})

	test('an empty topic is the "All topics" choice: 200 and every course', async () => {
		const page = expectData(await catalogue('?topic='), 200).data
		expect(page).toMatchObject({ topic: null, unknownTopic: false })
		expect(page.courses.map((course: { slug: string }) => course.slug)).toEqual([FREE_COURSE, MEMBERS_COURSE])
	})
})
