import type { LoaderFunction } from '@remix-run/node'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Language } from '#app/modules/courses/course-schema.ts'
import { getCourseLibrary } from '#app/modules/courses/course-library.server.ts'
import { type CourseSource, readCourseSources } from '#app/modules/courses/course-source.server.ts'
import { setLanguage } from '#app/modules/courses/language.server.ts'
import { loader as rootLoader } from '#app/root.tsx'
import { appRoutes, fillPath } from '#tests/fixtures/app-routes.ts'
import { openLesson } from '#tests/fixtures/learning.ts'
import { addMember, createOrganisationWithAdmin, createSessionCookie, getRequest, isDataResult, routeContext } from '#tests/fixtures/users.ts'

// This project serves the real library in courses/ (vitest.config.ts). Two learners, one reading
// English and one German, have opened the final quiz of every course, so each course's resume
// point is its quiz. Then every page's loader data, found from app/routes, is searched for the
// answer key: a `correct` flag or `explanation` field, or the text of any explanation.

type Learner = { cookie: string; membershipId: string; language: Language }

let sources: CourseSource[]
let slug: string
const learners: Learner[] = []

/** Every explanation of every question in every language: text only the grading code may hold. */
const explanationsOf = (course: CourseSource) =>
	Object.values(course.variants).flatMap((variant) => variant.lessons.flatMap((lesson) => lesson.quiz?.questions.map((question) => question.explanation) ?? []))

/** What a loader answered or threw, as the text the browser would receive (binary files aside). */
async function textOf(load: () => unknown) {
	const value = await Promise.resolve().then(load).catch((error: unknown) => error)
	if (value instanceof Response) return /pdf/.test(value.headers.get('Content-Type') ?? '') ? '' : value.text()
	if (value instanceof Error) throw value
	return JSON.stringify(isDataResult(value) ? value.data : (value ?? null))
}

function expectNoAnswerKey(text: string, explanations: string[], where: string) {
	expect(text, `${where} carries a correct flag`).not.toMatch(/"correct"\s*:/)
	expect(text, `${where} carries an explanation field`).not.toMatch(/"explanation"\s*:/)
	for (const explanation of explanations) expect(text.includes(explanation), `${where} carries the explanation “${explanation.slice(0, 60)}…”`).toBe(false)
}

beforeAll(async () => {
	const read = await readCourseSources('courses')
	expect(read.problems).toEqual([])
	sources = read.courses
	const { organisation } = await createOrganisationWithAdmin({ prefix: 'answer-keys' })
	slug = organisation.slug
	const { courses } = await getCourseLibrary()
	for (const language of ['en', 'de'] as const) {
		const { user, membership } = await addMember(organisation.id)
		await setLanguage(user.id, language)
		const learner = { cookie: (await createSessionCookie(user.id)).cookie, membershipId: membership.id, language }
		for (const course of courses) {
			const variant = course.variants[language] ?? course.variants.en
			for (const lesson of variant.lessons.filter((item) => item.hasQuiz)) await openLesson(learner.cookie, course.slug, lesson.slug)
		}
		learners.push(learner)
	}
}, 300_000)

test('the library is the real one, with a quiz in every course', async () => {
	const { courses } = await getCourseLibrary()
	expect(courses.length).toBeGreaterThanOrEqual(12)
	expect(courses.map((course) => course.slug).sort()).toEqual(sources.map((course) => course.slug).sort())
	for (const course of sources) expect(explanationsOf(course).length, course.slug).toBeGreaterThan(0)
})

describe.each(['en', 'de'] as const)('a learner reading %s with every final quiz open', (language) => {
	const learner = () => learners.find((entry) => entry.language === language)!

	test('the root, catalogue, dashboard and every page without a course in its address', async () => {
		const allExplanations = sources.flatMap(explanationsOf)
		const { cookie, membershipId } = learner()
		const params = { slug, membershipId, code: 'AAAA-BBBB-CCCC-DDDD-EEEE', token: 'no-such-invitation' }
		const routes = appRoutes('loader').filter((route) => !route.params.includes('courseSlug'))
		expect(routes.map((route) => route.pathTemplate)).toEqual(expect.arrayContaining(['/dashboard', '/courses']))
		const root = await textOf(() => rootLoader({ request: getRequest('/', { cookie }), params: {}, context: routeContext() }))
		expectNoAnswerKey(root, allExplanations, 'the root loader')
		for (const route of routes) {
			const { loader } = (await import(`#app/routes/${route.file}`)) as { loader: LoaderFunction }
			const url = fillPath(route, params)
			const text = await textOf(() => loader({ request: getRequest(url, { cookie }), params, context: routeContext() }))
			expectNoAnswerKey(text, allExplanations, url)
		}
	})

	test('every course’s overview and its quiz lessons, for every course in the library', async () => {
		const { cookie, membershipId } = learner()
		const routes = appRoutes('loader').filter((route) => route.params.includes('courseSlug'))
		expect(routes.map((route) => route.pathTemplate).sort()).toEqual(['/courses/:courseSlug', '/courses/:courseSlug/:lessonSlug'])
		const { bySlug } = await getCourseLibrary()
		for (const source of sources) {
			const course = bySlug.get(source.slug)!
			const variant = course.variants[language] ?? course.variants.en
			const explanations = explanationsOf(source)
			// The overview first: the lesson loader below moves the resume point as a learner's visit would.
			for (const route of routes) {
				const lessonSlugs = route.params.includes('lessonSlug') ? variant.lessons.filter((lesson) => lesson.hasQuiz).map((lesson) => lesson.slug) : ['']
				for (const lessonSlug of lessonSlugs) {
					const params = { slug, membershipId, courseSlug: course.slug, lessonSlug }
					const { loader } = (await import(`#app/routes/${route.file}`)) as { loader: LoaderFunction }
					const url = fillPath(route, params)
					const text = await textOf(() => loader({ request: getRequest(url, { cookie }), params, context: routeContext() }))
					expect(text.length, url).toBeGreaterThan(100)
					expectNoAnswerKey(text, explanations, url)
				}
			}
		}
	}, 120_000)
})

test('an anonymous visitor to a course overview gets no lesson content', async () => {
	const { loader } = await import('#app/routes/courses.$courseSlug._index.tsx')
	const { bySlug } = await getCourseLibrary()
	for (const source of sources) {
		const course = bySlug.get(source.slug)!
		const text = await textOf(() => loader({ request: getRequest(`/courses/${course.slug}`), params: { courseSlug: course.slug }, context: routeContext() }))
		for (const lesson of course.variants.en.lessons.filter((item) => item.html.length > 0)) {
			// The start of a lesson's HTML as it would stand in loader data (JSON-escaped).
			const opening = JSON.stringify(lesson.html).slice(1, 120)
			expect(text.includes(opening), `${course.slug}: the overview carries ${lesson.slug}’s HTML`).toBe(false)
		}
		expectNoAnswerKey(text, explanationsOf(source), `/courses/${course.slug}`)
	}
})
