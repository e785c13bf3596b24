import { describe, expect, test } from 'vitest'
import { action as settingsAction } from '#app/routes/settings.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { ALTERED_FORM_MESSAGE } from '#app/utils/form-submission.server.ts'
import {
	answerFields,
	certificateCodeFrom,
	correctPositions,
	FREE_COURSE,
	fixtureQuiz,
	learningRows,
	lessonUrl,
	MEMBERS_COURSE,
	openCourse,
	openLesson,
	openQuiz,
	postCourse,
	postLesson,
} from '#tests/fixtures/learning.ts'
import {
	addMember,
	createOrganisationWithAdmin,
	createSessionCookie,
	createUser,
	expectData,
	expectRedirect,
	expectThrownStatus,
	postRequest,
	routeContext,
	thrownBy,
} from '#tests/fixtures/users.ts'
import { loader as courseLoader } from '#app/routes/courses.$courseSlug._index.tsx'

const MEMBERS_ONLY = 'This course is for members of an organisation. Ask your organisation to invite you, or create one for your company.'

const loginRedirect = (path: string) => `/login?${new URLSearchParams({ redirectTo: path })}`

async function signedIn(prefix: string) {
	const user = await createUser({ prefix })
	const { cookie } = await createSessionCookie(user.id)
	return { user, cookie }
}

describe('visitors without an account', () => {
	test.each([
		[FREE_COURSE, 'first'],
		[FREE_COURSE, 'check'],
		[MEMBERS_COURSE, 'basics'],
		[MEMBERS_COURSE, 'final-quiz'],
	])('are sent to log in from the lesson %s/%s, and back to it afterwards', async (courseSlug, lessonSlug) => {
		expectRedirect(await thrownBy(openLesson(undefined, courseSlug, lessonSlug)), loginRedirect(lessonUrl(courseSlug, lessonSlug)))
		expectRedirect(await thrownBy(postLesson(undefined, courseSlug, lessonSlug, { intent: 'complete' })), loginRedirect(lessonUrl(courseSlug, lessonSlug)))
	})

	test('a forged session cookie counts as no session', async () => {
		expectRedirect(await thrownBy(openLesson('bulwark_session=forged', FREE_COURSE, 'first')), loginRedirect(lessonUrl(FREE_COURSE, 'first')))
	})

	test('may read a free course’s overview, in the language their browser asks for', async () => {
		const overview = await openCourse(undefined, FREE_COURSE)
		expect(overview).toMatchObject({
			signedIn: false,
			started: false,
			completedRun: false,
			course: { slug: FREE_COURSE, title: 'Demo course', free: true, language: 'en', standing: { run: null, latest: null } },
			resume: { slug: 'first' },
		})
		expect(overview.lessons.map((lesson) => [lesson.slug, lesson.hasQuiz])).toEqual([
			['first', false],
			['check', true],
		])

		const request = new Request('http://localhost/courses/demo-course', { headers: { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.8' } })
		const german = await courseLoader({ request, params: { courseSlug: FREE_COURSE }, context: routeContext() })
		expect(german.course).toMatchObject({ title: 'Demokurs', language: 'de' })
	})

	test('are sent to log in from a members’ course overview and its restart form', async () => {
		expectRedirect(await thrownBy(openCourse(undefined, MEMBERS_COURSE)), loginRedirect(`/courses/${MEMBERS_COURSE}`))
		expectRedirect(await thrownBy(postCourse(undefined, MEMBERS_COURSE, { intent: 'restart' })), loginRedirect(`/courses/${MEMBERS_COURSE}`))
	})
})

describe('a signed-in user without an active membership', () => {
	test('takes the free course', async () => {
		const { user, cookie } = await signedIn('free-only')
		expect((await openCourse(cookie, FREE_COURSE)).signedIn).toBe(true)
		expect((await openLesson(cookie, FREE_COURSE, 'first')).lesson.slug).toBe('first')
		expectRedirect(await postLesson(cookie, FREE_COURSE, 'first', { intent: 'complete' }), lessonUrl(FREE_COURSE, 'check'))
		expect(await prisma.lessonCompletion.count({ where: { progress: { userId: user.id, courseSlug: FREE_COURSE } } })).toBe(1)
	})

	test('gets 403 on the members’ course overview, lessons, lesson action and quiz submission, and nothing is written', async () => {
		const { user, cookie } = await signedIn('outsider')
		// The attempt id of an open attempt at the free course's quiz: a real id, only not for this course.
		const { attemptId } = await openQuiz(cookie, FREE_COURSE, 'check')
		const before = await learningRows(user.id)
		const quizFields: [string, string][] = [
			['intent', 'submit-quiz'],
			['attemptId', attemptId],
			['answers.best-password', 'ffffffffffff'],
		]

		// One request at a time: each refusal is awaited as soon as it is made.
		for (const refuse of [
			() => openCourse(cookie, MEMBERS_COURSE),
			() => postCourse(cookie, MEMBERS_COURSE, { intent: 'restart' }),
			() => openLesson(cookie, MEMBERS_COURSE, 'basics'),
			() => openLesson(cookie, MEMBERS_COURSE, 'final-quiz'),
			() => postLesson(cookie, MEMBERS_COURSE, 'basics', { intent: 'complete' }),
			() => postLesson(cookie, MEMBERS_COURSE, 'final-quiz', quizFields),
		]) {
			expect((await expectThrownStatus(refuse(), 403)).data).toEqual({ message: MEMBERS_ONLY })
		}

		expect(await learningRows(user.id)).toEqual(before)
		expect(await prisma.courseProgress.count({ where: { userId: user.id, courseSlug: MEMBERS_COURSE } })).toBe(0)
		expect(await prisma.quizAttempt.count({ where: { userId: user.id, courseSlug: MEMBERS_COURSE } })).toBe(0)
	})

	test('a deactivated membership does not count', async () => {
		const { organisation } = await createOrganisationWithAdmin({ prefix: 'dormant' })
		const { user } = await addMember(organisation.id, { deactivated: true })
		const { cookie } = await createSessionCookie(user.id)

		await expectThrownStatus(openLesson(cookie, MEMBERS_COURSE, 'basics'), 403)
		await expectThrownStatus(openCourse(cookie, MEMBERS_COURSE), 403)
		expect(await learningRows(user.id)).toEqual({ progress: [], attempts: [], completions: [] })
	})

	test('a member deactivated mid-course can no longer open or submit the quiz they started', async () => {
		const { organisation } = await createOrganisationWithAdmin({ prefix: 'mid-course' })
		const { user, membership } = await addMember(organisation.id)
		const { cookie } = await createSessionCookie(user.id)
		const quiz = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz')
		const { attemptId } = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		const fields = await answerFields(attemptId, quiz, correctPositions)

		await prisma.membership.update({ where: { id: membership.id }, data: { deactivatedAt: new Date() }, select: { id: true } })
		const before = await learningRows(user.id)

		await expectThrownStatus(openLesson(cookie, MEMBERS_COURSE, 'final-quiz'), 403)
		await expectThrownStatus(postLesson(cookie, MEMBERS_COURSE, 'final-quiz', fields), 403)
		await expectThrownStatus(postLesson(cookie, MEMBERS_COURSE, 'basics', { intent: 'complete' }), 403)

		expect(await learningRows(user.id)).toEqual(before)
		expect((await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).status).toBe('STARTED')
	})
})

describe('an active member of any organisation', () => {
	test('a learner of an organisation takes the members’ course to completion', async () => {
		const { organisation } = await createOrganisationWithAdmin({ prefix: 'members-take' })
		const { user } = await addMember(organisation.id, { role: 'LEARNER' })
		const { cookie } = await createSessionCookie(user.id)

		expect((await openCourse(cookie, MEMBERS_COURSE)).course).toMatchObject({ slug: MEMBERS_COURSE, free: false, title: 'Members course' })
		await openLesson(cookie, MEMBERS_COURSE, 'basics')
		expectRedirect(await postLesson(cookie, MEMBERS_COURSE, 'basics', { intent: 'complete' }), lessonUrl(MEMBERS_COURSE, 'final-quiz'))
		const quiz = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz')
		const { attemptId } = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		const code = certificateCodeFrom(await postLesson(cookie, MEMBERS_COURSE, 'final-quiz', await answerFields(attemptId, quiz, correctPositions)))
		expect(await prisma.courseCompletion.count({ where: { userId: user.id, certificateCode: code } })).toBe(1)
	})

	test('an organisation’s admin may take it, and one active membership is enough beside a deactivated one', async () => {
		const { admin } = await createOrganisationWithAdmin({ prefix: 'admin-takes' })
		const adminCookie = (await createSessionCookie(admin.id)).cookie
		expect((await openLesson(adminCookie, MEMBERS_COURSE, 'basics')).lesson.slug).toBe('basics')

		const former = await createOrganisationWithAdmin({ prefix: 'former' })
		const current = await createOrganisationWithAdmin({ prefix: 'current' })
		const { user } = await addMember(former.organisation.id, { deactivated: true })
		await addMember(current.organisation.id, { user })
		const { cookie } = await createSessionCookie(user.id)
		expect((await openLesson(cookie, MEMBERS_COURSE, 'basics')).lesson.slug).toBe('basics')
	})
})

describe('unknown courses and lessons', () => {
	test.each(['no-such-course', 'Demo-Course', '..', 'demo-course%00', 'a'.repeat(200)])('the course %j answers 404, signed in or not', async (courseSlug) => {
		const { cookie } = await signedIn('unknown-course')
		for (const session of [cookie, undefined]) {
			const overview = await expectThrownStatus(openCourse(session, courseSlug), 404)
			expect(overview.data.message).toMatch(/could not find that course/)
			await expectThrownStatus(openLesson(session, courseSlug, 'first'), 404)
			await expectThrownStatus(postLesson(session, courseSlug, 'first', { intent: 'complete' }), 404)
		}
	})

	test('an unknown lesson of a course answers 404 to loader and action, and nothing is written', async () => {
		const { user, cookie } = await signedIn('unknown-lesson')
		for (const lessonSlug of ['no-such-lesson', 'course', '01-first', '']) {
			const refused = await expectThrownStatus(openLesson(cookie, FREE_COURSE, lessonSlug), 404)
			expect(refused.data.message).toBe('This course has no such lesson. Open the course to see its lessons.')
			await expectThrownStatus(postLesson(cookie, FREE_COURSE, lessonSlug, { intent: 'complete' }), 404)
		}
		expect(await learningRows(user.id)).toEqual({ progress: [], attempts: [], completions: [] })
	})
})

describe('course language', () => {
	const setLanguage = (cookie: string, fields: Record<string, string>) =>
		settingsAction({ request: postRequest('/settings', fields, { cookie }), params: {}, context: routeContext() })

	async function germanMember(prefix: string) {
		const { organisation } = await createOrganisationWithAdmin({ prefix: `${prefix}-org` })
		const { user } = await addMember(organisation.id)
		const { cookie } = await createSessionCookie(user.id)
		expectRedirect(await setLanguage(cookie, { intent: 'language', language: 'de' }), '/settings')
		return { user, cookie }
	}

	test('the settings action stores the language; an invalid one answers 400 and changes nothing', async () => {
		const { user, cookie } = await signedIn('language')
		expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).language).toBe('en')

		// The select always offers a language, so another value means the form was altered.
		for (const fields of [{ intent: 'language', language: 'fr' }, { intent: 'language', language: 'DE' }, { intent: 'language' }] as Record<string, string>[]) {
			const refused = await expectThrownStatus(Promise.resolve().then(() => setLanguage(cookie, fields)), 400)
			expect(refused.data).toEqual({ message: ALTERED_FORM_MESSAGE })
		}
		expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).language).toBe('en')

		expectRedirect(await setLanguage(cookie, { intent: 'language', language: 'de' }), '/settings')
		expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).language).toBe('de')
		expectRedirect(await setLanguage(cookie, { intent: 'language', language: 'en' }), '/settings')
		expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).language).toBe('en')
	})

	test('a German learner gets German titles, lessons and quiz, and no German explanation before submitting', async () => {
		const { cookie } = await germanMember('german-titles')
		const german = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz', 'de')

		const overview = await openCourse(cookie, MEMBERS_COURSE)
		expect(overview.course).toMatchObject({ title: 'Mitgliederkurs', summary: 'Ein Kurs für Mitglieder einer Organisation, für die Tests.', language: 'de' })
		expect(overview.lessons.map((lesson) => lesson.title)).toEqual(['Die Grundlagen', 'Abschlusstest'])
		expect((await openCourse(cookie, FREE_COURSE)).course.title).toBe('Demokurs')

		const page = await openLesson(cookie, MEMBERS_COURSE, 'final-quiz')
		expect(page.course).toMatchObject({ title: 'Mitgliederkurs', language: 'de' })
		expect(page.lesson.title).toBe('Abschlusstest')
		expect(page.lessons.map((lesson) => lesson.title)).toEqual(['Die Grundlagen', 'Abschlusstest'])
		expect(page.quiz?.questions.map((question) => question.prompt)).toEqual(german.questions.map((question) => question.prompt))
		expect(page.quiz?.questions.find((question) => question.id === 'reuse-is-fine')?.options.map((option) => option.text)).toEqual(['Wahr', 'Falsch'])
		const serialised = JSON.stringify(page)
		for (const question of german.questions) expect(serialised).not.toContain(question.explanation)
	})

	test('a German attempt is stored in German and graded like the English one', async () => {
		const { user, cookie } = await germanMember('german-quiz')
		const german = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz', 'de')
		const { attemptId } = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		expect((await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).language).toBe('de')

		const result = await postLesson(cookie, MEMBERS_COURSE, 'final-quiz', await answerFields(attemptId, german, correctPositions))

		expectRedirect(result, `${lessonUrl(MEMBERS_COURSE, 'final-quiz')}?attempt=${attemptId}#quiz-result`)
		expect(await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({
			userId: user.id,
			language: 'de',
			status: 'SUBMITTED',
			score: 100,
			passed: true,
		})
		const shown = await openLesson(cookie, MEMBERS_COURSE, 'final-quiz', `?attempt=${attemptId}`)
		expect(shown.result?.questions.map((question) => question.explanation)).toEqual(german.questions.map((question) => question.explanation))
	})

	test('a completion counts whatever the language: a lesson done in English, the quiz passed in German', async () => {
		const { organisation } = await createOrganisationWithAdmin({ prefix: 'bilingual-org' })
		const { user } = await addMember(organisation.id)
		const { cookie } = await createSessionCookie(user.id)
		await openLesson(cookie, MEMBERS_COURSE, 'basics')
		expectRedirect(await postLesson(cookie, MEMBERS_COURSE, 'basics', { intent: 'complete' }), lessonUrl(MEMBERS_COURSE, 'final-quiz'))

		expectRedirect(await setLanguage(cookie, { intent: 'language', language: 'de' }), '/settings')
		const german = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz', 'de')
		const { attemptId } = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		const code = certificateCodeFrom(await postLesson(cookie, MEMBERS_COURSE, 'final-quiz', await answerFields(attemptId, german, correctPositions)))

		const completion = await prisma.courseCompletion.findUniqueOrThrow({ where: { certificateCode: code } })
		expect(completion).toMatchObject({ userId: user.id, courseSlug: MEMBERS_COURSE, courseVersion: '2.1.0' })
		expect(await prisma.courseCompletion.count({ where: { userId: user.id } })).toBe(1)
	})

	test('an attempt opened in English and submitted after switching to German is graded in English', async () => {
		const { organisation } = await createOrganisationWithAdmin({ prefix: 'switch-org' })
		const { user } = await addMember(organisation.id)
		const { cookie } = await createSessionCookie(user.id)
		const english = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz')
		const { attemptId } = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		const fields = await answerFields(attemptId, english, correctPositions)

		expectRedirect(await setLanguage(cookie, { intent: 'language', language: 'de' }), '/settings')
		expectRedirect(await postLesson(cookie, MEMBERS_COURSE, 'final-quiz', fields), `${lessonUrl(MEMBERS_COURSE, 'final-quiz')}?attempt=${attemptId}#quiz-result`)

		expect(await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({ userId: user.id, language: 'en', passed: true, score: 100 })
		expect(await prisma.lessonCompletion.count({ where: { progress: { userId: user.id, courseSlug: MEMBERS_COURSE }, lessonSlug: 'final-quiz' } })).toBe(1)
	})
})
