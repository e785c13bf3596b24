import { describe, expect, test } from 'vitest'
import { CERTIFICATE_CODE_PATTERN } from '#app/modules/certificates/certificate-code.server.ts'
import { addMonths } from '#app/modules/courses/completion.ts'
import { prisma } from '#app/utils/db.server.ts'
import { ALTERED_FORM_MESSAGE } from '#app/utils/form-submission.server.ts'
import {
	answerFields,
	certificateCodeFrom,
	correctPositions,
	FREE_COURSE,
	fixtureCourse,
	fixtureQuiz,
	formPost,
	learningRows,
	lessonUrl,
	MEMBERS_COURSE,
	openCourse,
	openLesson,
	openQuiz,
	passCourse,
	postCourse,
	postLesson,
	takeQuiz,
	wrongPositions,
} from '#tests/fixtures/learning.ts'
import {
	addMember,
	createOrganisationWithAdmin,
	createSessionCookie,
	createUser,
	expectData,
	expectRedirect,
	expectThrownStatus,
	routeContext,
} from '#tests/fixtures/users.ts'
import { action as lessonAction } from '#app/routes/courses.$courseSlug.$lessonSlug.tsx'

/** A learner with a session; `member` adds them to a new organisation so they may take every course. */
async function learner({ prefix = 'learner', member = false }: { prefix?: string; member?: boolean } = {}) {
	const user = await createUser({ prefix })
	if (member) {
		const { organisation } = await createOrganisationWithAdmin({ prefix: `${prefix}-org` })
		await addMember(organisation.id, { user })
	}
	const { cookie } = await createSessionCookie(user.id)
	return { user, cookie }
}

const progressOf = (userId: string, courseSlug: string) =>
	prisma.courseProgress.findUnique({ where: { userId_courseSlug: { userId, courseSlug } }, include: { lessons: true } })

/** Every key anywhere in a value, so a test can say a field is absent at any depth. */
function keysDeep(value: unknown, keys = new Set<string>()): Set<string> {
	if (Array.isArray(value)) for (const item of value) keysDeep(item, keys)
	else if (value && typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) {
			keys.add(key)
			keysDeep(item, keys)
		}
	}
	return keys
}

const resultUrl = (courseSlug: string, lessonSlug: string, attemptId: string) => `${lessonUrl(courseSlug, lessonSlug)}?attempt=${attemptId}#quiz-result`

describe('lesson progress', () => {
	test('opening a lesson remembers it as the resume point; opening it again writes nothing', async () => {
		const { user, cookie } = await learner({ prefix: 'resume' })
		expect(await progressOf(user.id, FREE_COURSE)).toBeNull()

		const page = await openLesson(cookie, FREE_COURSE, 'first')
		expect(page).toMatchObject({ lesson: { slug: 'first', position: 1 }, next: 'check', previous: null, done: false, hasQuiz: false, quiz: null })
		const remembered = await progressOf(user.id, FREE_COURSE)
		expect(remembered).toMatchObject({ resumeLessonSlug: 'first', completionId: null, lessons: [] })

		await openLesson(cookie, FREE_COURSE, 'first')
		expect(await prisma.courseProgress.count({ where: { userId: user.id } })).toBe(1)
		expect(await progressOf(user.id, FREE_COURSE)).toEqual(remembered)

		await openLesson(cookie, FREE_COURSE, 'check')
		expect((await progressOf(user.id, FREE_COURSE))?.resumeLessonSlug).toBe('check')
		expect(await prisma.courseProgress.count({ where: { userId: user.id } })).toBe(1)
	})

	test('"complete" records the lesson and redirects to the next one; the lesson then shows as done', async () => {
		const { user, cookie } = await learner({ prefix: 'complete' })
		await openLesson(cookie, FREE_COURSE, 'first')

		expectRedirect(await postLesson(cookie, FREE_COURSE, 'first', { intent: 'complete' }), lessonUrl(FREE_COURSE, 'check'))

		const progress = await progressOf(user.id, FREE_COURSE)
		expect(progress?.lessons.map((lesson) => lesson.lessonSlug)).toEqual(['first'])
		expect(progress?.completionId).toBeNull()
		const page = await openLesson(cookie, FREE_COURSE, 'first')
		expect(page.done).toBe(true)
		expect(page.lessons).toEqual([
			{ slug: 'first', title: 'First lesson', done: true },
			{ slug: 'check', title: 'Check', done: false },
		])

		// Completing it again keeps one record.
		expectRedirect(await postLesson(cookie, FREE_COURSE, 'first', { intent: 'complete' }), lessonUrl(FREE_COURSE, 'check'))
		expect((await progressOf(user.id, FREE_COURSE))?.lessons).toHaveLength(1)
		expect(await prisma.courseCompletion.count({ where: { userId: user.id } })).toBe(0)
	})

	test('"complete" posted twice at once as the learner’s first step records the lesson once and redirects both', async () => {
		// No progress row yet (the form was posted without the lesson being opened first, or from two tabs at once).
		const { user, cookie } = await learner({ prefix: 'complete-race' })

		const results = await Promise.all([
			postLesson(cookie, FREE_COURSE, 'first', { intent: 'complete' }),
			postLesson(cookie, FREE_COURSE, 'first', { intent: 'complete' }),
		])

		for (const result of results) expectRedirect(result, lessonUrl(FREE_COURSE, 'check'))
		expect(await prisma.courseProgress.count({ where: { userId: user.id } })).toBe(1)
		expect((await progressOf(user.id, FREE_COURSE))?.lessons.map((lesson) => lesson.lessonSlug)).toEqual(['first'])
	})

	test('a quiz lesson cannot be completed with "complete": 400, and nothing is recorded', async () => {
		const { user, cookie } = await learner({ prefix: 'complete-quiz' })
		await openLesson(cookie, FREE_COURSE, 'check')
		const before = await learningRows(user.id)

		const refused = await expectThrownStatus(postLesson(cookie, FREE_COURSE, 'check', { intent: 'complete' }), 400)
		expect(refused.data.message).toBe('This lesson is done when you pass its quiz.')
		expect(await learningRows(user.id)).toEqual(before)
		expect((await progressOf(user.id, FREE_COURSE))?.lessons).toEqual([])
	})
})

describe('quiz attempts', () => {
	test('opening a quiz starts one attempt whose loader data has opaque options and no answers or explanations', async () => {
		const { user, cookie } = await learner({ prefix: 'quiz-open', member: true })
		const quiz = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz')

		const page = await openLesson(cookie, MEMBERS_COURSE, 'final-quiz')
		expect(page.hasQuiz).toBe(true)
		expect(page.result).toBeNull()
		expect(page.quiz).not.toBeNull()
		const attempts = await prisma.quizAttempt.findMany({ where: { userId: user.id } })
		expect(attempts).toHaveLength(1)
		expect(attempts[0]).toMatchObject({
			id: page.quiz!.attemptId,
			status: 'STARTED',
			courseSlug: MEMBERS_COURSE,
			lessonSlug: 'final-quiz',
			courseVersion: '2.1.0',
			language: 'en',
			questionCount: 3,
			answers: null,
			score: null,
			passed: null,
			submittedAt: null,
		})

		// The questions in the file's order, every option under a fresh 12-hex id, texts as written.
		expect(page.quiz!.questions.map((question) => question.id)).toEqual(quiz.questions.map((question) => question.id))
		for (const [index, question] of page.quiz!.questions.entries()) {
			const source = quiz.questions[index]!
			expect(question.prompt).toBe(source.prompt)
			expect(question.type).toBe(source.type)
			for (const option of question.options) expect(option.id).toMatch(/^[0-9a-f]{12}$/)
			const texts = source.type === 'true-false' ? ['True', 'False'] : source.options.map((option) => option.text)
			expect(question.options.map((option) => option.text).sort()).toEqual([...texts].sort())
		}
		const optionIds = page.quiz!.questions.flatMap((question) => question.options.map((option) => option.id))
		expect(new Set(optionIds).size).toBe(optionIds.length)

		// Nothing in the serialised loader data gives the answers away.
		const serialised = JSON.stringify(page)
		const keys = keysDeep(JSON.parse(serialised))
		for (const key of ['correct', 'answer', 'answers', 'explanation', 'presentation', 'option']) expect(keys.has(key), `key "${key}" in loader data`).toBe(false)
		for (const question of quiz.questions) expect(serialised).not.toContain(question.explanation)
	})

	test('reloading the quiz reuses the open attempt with the same options in the same order', async () => {
		const { user, cookie } = await learner({ prefix: 'quiz-reload', member: true })
		const first = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		const again = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')

		expect(again.attemptId).toBe(first.attemptId)
		expect(again.questions).toEqual(first.questions)
		expect(await prisma.quizAttempt.count({ where: { userId: user.id } })).toBe(1)
	})

	test('an open attempt built for other questions (the quiz was edited since) is retired, not graded or reused', async () => {
		const { user, cookie } = await learner({ prefix: 'quiz-edited', member: true })
		const { attemptId } = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		// As if the quiz in the course file had changed after this attempt was shown.
		await prisma.quizAttempt.update({ where: { id: attemptId }, data: { quizFingerprint: 'an-older-quiz' }, select: { id: true } })
		const quiz = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz')

		const answer = await postLesson(cookie, MEMBERS_COURSE, 'final-quiz', await answerFields(attemptId, quiz, correctPositions))
		expect(expectRedirect(answer).headers.get('Location')).toBe(lessonUrl(MEMBERS_COURSE, 'final-quiz'))
		expect((await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId }, select: { status: true } })).status).toBe('STARTED')

		const fresh = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		expect(fresh.attemptId).not.toBe(attemptId)
		expect(await prisma.quizAttempt.count({ where: { userId: user.id, status: 'SUBMITTED' } })).toBe(0)
	})

	test('wrong answers store a submitted, failed attempt with what was chosen; the lesson stays open', async () => {
		const { user, cookie } = await learner({ prefix: 'quiz-fail', member: true })
		const quiz = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz')
		// Two of three right: 66 %, below the default pass mark of 80 %.
		const choose = (question: (typeof quiz.questions)[number]) => (question.type === 'true-false' ? wrongPositions(question) : correctPositions(question))

		const { attemptId, result } = await takeQuiz(cookie, MEMBERS_COURSE, 'final-quiz', choose)

		expectRedirect(result, resultUrl(MEMBERS_COURSE, 'final-quiz', attemptId))
		const attempt = await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })
		expect(attempt).toMatchObject({
			userId: user.id,
			courseSlug: MEMBERS_COURSE,
			lessonSlug: 'final-quiz',
			courseVersion: '2.1.0',
			language: 'en',
			status: 'SUBMITTED',
			answers: { 'best-password': [1], 'second-factors': [0, 1], 'reuse-is-fine': [0] },
			questionCount: 3,
			correctCount: 2,
			score: 66,
			passed: false,
		})
		expect(attempt.submittedAt).toBeInstanceOf(Date)
		expect((await progressOf(user.id, MEMBERS_COURSE))?.lessons).toEqual([])

		// The result page shows the learner's choices and the explanations, and no correct options.
		const page = await openLesson(cookie, MEMBERS_COURSE, 'final-quiz', `?attempt=${attemptId}`)
		expect(page.quiz).toBeNull()
		expect(page.quizPassed).toBe(false)
		expect(page.result).toMatchObject({ attemptId, score: 66, passed: false, correctCount: 2, questionCount: 3 })
		expect(page.result?.questions.map((question) => [question.id, question.correct, question.explanation])).toEqual(
			quiz.questions.map((question) => [question.id, question.type !== 'true-false', question.explanation]),
		)
		const trueFalse = page.result?.questions.find((question) => question.id === 'reuse-is-fine')
		expect(trueFalse?.options).toEqual([
			{ text: 'True', chosen: true },
			{ text: 'False', chosen: false },
		])
	})

	test('all-wrong answers score 0', async () => {
		const { cookie } = await learner({ prefix: 'quiz-zero', member: true })
		const { attemptId, result } = await takeQuiz(cookie, MEMBERS_COURSE, 'final-quiz', wrongPositions)
		expectRedirect(result, resultUrl(MEMBERS_COURSE, 'final-quiz', attemptId))
		expect(await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({ correctCount: 0, score: 0, passed: false })
	})

	test('correct answers store a passed attempt with score 100 and record the lesson done', async () => {
		const { user, cookie } = await learner({ prefix: 'quiz-pass', member: true })

		const { attemptId, result } = await takeQuiz(cookie, MEMBERS_COURSE, 'final-quiz', correctPositions)

		// The first lesson is not done yet, so passing does not finish the course.
		expectRedirect(result, resultUrl(MEMBERS_COURSE, 'final-quiz', attemptId))
		expect(await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({
			userId: user.id,
			status: 'SUBMITTED',
			answers: { 'best-password': [1], 'second-factors': [0, 1], 'reuse-is-fine': [1] },
			correctCount: 3,
			score: 100,
			passed: true,
		})
		expect((await progressOf(user.id, MEMBERS_COURSE))?.lessons.map((lesson) => lesson.lessonSlug)).toEqual(['final-quiz'])
		expect(await prisma.courseCompletion.count({ where: { userId: user.id } })).toBe(0)

		// Opening the quiz again offers a fresh attempt (practice), and says it was passed.
		const page = await openLesson(cookie, MEMBERS_COURSE, 'final-quiz')
		expect(page.quizPassed).toBe(true)
		expect(page.done).toBe(true)
		expect(page.quiz?.attemptId).not.toBe(attemptId)
		expect(await prisma.quizAttempt.count({ where: { userId: user.id, status: 'STARTED' } })).toBe(1)
	})

	test('a failed attempt followed by a passed one: the retake grades independently', async () => {
		const { user, cookie } = await learner({ prefix: 'quiz-retake', member: true })
		const failed = await takeQuiz(cookie, MEMBERS_COURSE, 'final-quiz', wrongPositions)
		const passed = await takeQuiz(cookie, MEMBERS_COURSE, 'final-quiz', correctPositions)

		expect(passed.attemptId).not.toBe(failed.attemptId)
		const attempts = await prisma.quizAttempt.findMany({ where: { userId: user.id }, select: { id: true, passed: true, score: true } })
		expect(attempts).toHaveLength(2)
		expect(attempts).toEqual(
			expect.arrayContaining([
				{ id: failed.attemptId, passed: false, score: 0 },
				{ id: passed.attemptId, passed: true, score: 100 },
			]),
		)
	})
})

describe('submitting the same attempt twice', () => {
	test('one after the other: graded once, with the first answers; both redirect to the same result', async () => {
		const { user, cookie } = await learner({ prefix: 'twice', member: true })
		const quiz = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz')
		const { attemptId } = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		const wrong = await answerFields(attemptId, quiz, wrongPositions)
		const right = await answerFields(attemptId, quiz, correctPositions)

		const first = expectRedirect(await postLesson(cookie, MEMBERS_COURSE, 'final-quiz', wrong), resultUrl(MEMBERS_COURSE, 'final-quiz', attemptId))
		const graded = await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })
		// A second submission, even with other answers, gets the recorded result and changes nothing.
		const second = expectRedirect(await postLesson(cookie, MEMBERS_COURSE, 'final-quiz', right))

		expect(second.headers.get('Location')).toBe(first.headers.get('Location'))
		expect(await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toEqual(graded)
		expect(graded).toMatchObject({ status: 'SUBMITTED', passed: false, score: 0 })
		expect(await prisma.quizAttempt.count({ where: { userId: user.id, status: 'SUBMITTED' } })).toBe(1)
		expect((await progressOf(user.id, MEMBERS_COURSE))?.lessons).toEqual([])
	})

	test('concurrently: exactly one graded attempt, one lesson record, and both redirect to the same result', async () => {
		const { user, cookie } = await learner({ prefix: 'concurrent', member: true })
		const quiz = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz')
		const { attemptId } = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		const fields = await answerFields(attemptId, quiz, correctPositions)

		const [a, b] = await Promise.all([
			postLesson(cookie, MEMBERS_COURSE, 'final-quiz', fields),
			postLesson(cookie, MEMBERS_COURSE, 'final-quiz', fields),
		])

		const expected = resultUrl(MEMBERS_COURSE, 'final-quiz', attemptId)
		expectRedirect(a, expected)
		expectRedirect(b, expected)
		const attempts = await prisma.quizAttempt.findMany({ where: { userId: user.id } })
		expect(attempts).toHaveLength(1)
		expect(attempts[0]).toMatchObject({ id: attemptId, status: 'SUBMITTED', passed: true, score: 100 })
		expect((await progressOf(user.id, MEMBERS_COURSE))?.lessons.map((lesson) => lesson.lessonSlug)).toEqual(['final-quiz'])
	})

	test.each([
		['a failing then a passing form', [wrongPositions, correctPositions]],
		['a passing then a failing form', [correctPositions, wrongPositions]],
	] as const)('concurrently with different answers (%s): one of them is recorded, and the lesson agrees with it', async (_label, choices) => {
		const { user, cookie } = await learner({ prefix: 'concurrent-mixed', member: true })
		const quiz = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz')
		const { attemptId } = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		const [first, second] = await Promise.all(choices.map(async (choose) => answerFields(attemptId, quiz, choose)))

		const results = await Promise.all([postLesson(cookie, MEMBERS_COURSE, 'final-quiz', first!), postLesson(cookie, MEMBERS_COURSE, 'final-quiz', second!)])

		for (const result of results) expectRedirect(result, resultUrl(MEMBERS_COURSE, 'final-quiz', attemptId))
		const attempt = await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })
		// Whichever form won, the row is its grade alone and the lesson is done exactly when that grade passed.
		const graded = attempt.passed
			? { answers: { 'best-password': [1], 'second-factors': [0, 1], 'reuse-is-fine': [1] }, score: 100, correctCount: 3 }
			: { answers: { 'best-password': [0], 'second-factors': [2], 'reuse-is-fine': [0] }, score: 0, correctCount: 0 }
		expect(attempt).toMatchObject({ status: 'SUBMITTED', ...graded })
		const lessons = (await progressOf(user.id, MEMBERS_COURSE))?.lessons.map((lesson) => lesson.lessonSlug) ?? []
		expect(lessons).toEqual(attempt.passed ? ['final-quiz'] : [])
		expect(await prisma.quizAttempt.count({ where: { userId: user.id } })).toBe(1)
	})
})

describe('refused quiz submissions', () => {
	/** A member with an open attempt at the members course's quiz, and the form that would answer it correctly. */
	async function openAttemptFor(prefix: string) {
		const { user, cookie } = await learner({ prefix, member: true })
		const quiz = await fixtureQuiz(MEMBERS_COURSE, 'final-quiz')
		const { attemptId } = await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
		const fields = await answerFields(attemptId, quiz, correctPositions)
		return { user, cookie, attemptId, fields, before: await learningRows(user.id) }
	}

	const submit = (cookie: string, fields: [string, string][]) => postLesson(cookie, MEMBERS_COURSE, 'final-quiz', fields)

	test('an unanswered question: 400 naming it, and nothing is written', async () => {
		const { user, cookie, fields, before } = await openAttemptFor('unanswered')
		const withoutThird = fields.filter(([name]) => name !== 'answers.reuse-is-fine')

		const result = expectData(await submit(cookie, withoutThird), 400)

		expect(Object.keys(result.data.result.error)).toEqual(['answers.reuse-is-fine'])
		expect(result.data.result.error['answers.reuse-is-fine'].join(' ')).toMatch(/Answer question 3/)
		expect(await learningRows(user.id)).toEqual(before)
	})

	test('no answers at all: 400, and nothing is written', async () => {
		const { user, cookie, fields, before } = await openAttemptFor('no-answers')
		const result = expectData(await submit(cookie, fields.filter(([name]) => !name.startsWith('answers.'))), 400)
		expect(JSON.stringify(result.data.result.error)).toMatch(/Answer/)
		expect(await learningRows(user.id)).toEqual(before)
	})

	test('two options for a single-choice question: 400, and nothing is written', async () => {
		const { user, cookie, attemptId, fields, before } = await openAttemptFor('two-options')
		const presentation = (await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).presentation as Record<string, { id: string }[]>
		const extra = presentation['best-password']!.map((entry) => entry.id).find((id) => !fields.some(([, value]) => value === id))!

		const result = expectData(await submit(cookie, [...fields, ['answers.best-password', extra]]), 400)

		expect(result.data.result.error['answers.best-password'].join(' ')).toMatch(/Answer question 1 with one option/)
		expect(await learningRows(user.id)).toEqual(before)
	})

	test('an option id the attempt did not show: 400, and nothing is written', async () => {
		const { user, cookie, fields, before } = await openAttemptFor('unknown-option')
		const tampered = fields.map(([name, value]): [string, string] => (name === 'answers.best-password' ? [name, 'ffffffffffff'] : [name, value]))

		const result = expectData(await submit(cookie, tampered), 400)

		// Conform keys the error by the array element (answers.best-password[0]); either way it belongs to that question.
		const errors = Object.entries(result.data.result.error as Record<string, string[]>)
		expect(errors.map(([name]) => name.replace(/\[\d+\]$/, ''))).toEqual(['answers.best-password'])
		expect(errors.flatMap(([, messages]) => messages)).toEqual(['That answer is not one of the options; reload the quiz'])
		expect(await learningRows(user.id)).toEqual(before)
	})

	test('an option id from another of the learner’s questions: 400', async () => {
		const { user, cookie, attemptId, fields, before } = await openAttemptFor('crossed-option')
		const presentation = (await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).presentation as Record<string, { id: string }[]>
		const foreign = presentation['second-factors']![0]!.id
		const crossed = fields.map(([name, value]): [string, string] => (name === 'answers.best-password' ? [name, foreign] : [name, value]))

		expectData(await submit(cookie, crossed), 400)
		expect(await learningRows(user.id)).toEqual(before)
	})

	test('someone else’s attempt id: 400, and neither learner’s rows change', async () => {
		const owner = await openAttemptFor('attempt-owner')
		const intruder = await openAttemptFor('attempt-intruder')
		const stolen = owner.fields.map(([name, value]): [string, string] => [name, value])

		const refused = await expectThrownStatus(submit(intruder.cookie, stolen), 400)

		expect(refused.data.message).toBe('This quiz form is no longer valid. Reload the page to get a fresh one.')
		expect(await learningRows(owner.user.id)).toEqual(owner.before)
		expect(await learningRows(intruder.user.id)).toEqual(intruder.before)
	})

	test.each([
		['malformed', 'NOT an id; DROP TABLE'],
		['too long', 'a'.repeat(65)],
		['empty', ''],
		['unknown', 'cnotarealattemptid0000000'],
	])('a %s attempt id: 400, and nothing is written', async (_label, badId) => {
		const { user, cookie, fields, before } = await openAttemptFor('bad-attempt')
		const tampered = fields.map(([name, value]): [string, string] => (name === 'attemptId' ? [name, badId] : [name, value]))

		const refused = await expectThrownStatus(submit(cookie, tampered), 400)

		expect(refused.data.message).toBe('This quiz form is no longer valid. Reload the page to get a fresh one.')
		expect(await learningRows(user.id)).toEqual(before)
	})

	test('an attempt at another lesson’s quiz is not accepted for this one', async () => {
		// The free course's quiz attempt posted to the members course's quiz lesson.
		const { user, cookie, fields, before } = await openAttemptFor('other-quiz')
		const other = await openQuiz(cookie, FREE_COURSE, 'check')
		const beforeBoth = await learningRows(user.id)
		const tampered = fields.map(([name, value]): [string, string] => (name === 'attemptId' ? [name, other.attemptId] : [name, value]))

		await expectThrownStatus(submit(cookie, tampered), 400)

		expect(beforeBoth.attempts).toHaveLength(before.attempts.length + 1)
		expect(await learningRows(user.id)).toEqual(beforeBoth)
	})

	test.each([['unknown', 'grade-myself'], ['missing', null]])('an %s intent: 400, and nothing is written', async (_label, intent) => {
		const { user, cookie, fields, before } = await openAttemptFor('bad-intent')
		const withIntent = fields.filter(([name]) => name !== 'intent')
		if (intent) withIntent.push(['intent', intent])

		const refused = await expectThrownStatus(submit(cookie, withIntent), 400)

		expect(refused.data.message).toBe(ALTERED_FORM_MESSAGE)
		expect(await learningRows(user.id)).toEqual(before)
	})

	test('a request without a form body: 400, and nothing is written', async () => {
		const { user, cookie, before } = await openAttemptFor('no-body')
		const request = new Request(`http://localhost${lessonUrl(MEMBERS_COURSE, 'final-quiz')}`, { method: 'POST', headers: { Cookie: cookie } })

		const refused = await expectThrownStatus(lessonAction({ request, params: { courseSlug: MEMBERS_COURSE, lessonSlug: 'final-quiz' }, context: routeContext() }), 400)

		expect(refused.data.message).toMatch(/did not carry a form/)
		expect(await learningRows(user.id)).toEqual(before)
	})

	test('"submit-quiz" on a lesson without a quiz: 400', async () => {
		const { user, cookie, fields, before } = await openAttemptFor('no-quiz-lesson')
		const refused = await expectThrownStatus(postLesson(cookie, MEMBERS_COURSE, 'basics', fields), 400)
		expect(refused.data.message).toBe('This lesson has no quiz.')
		expect((await learningRows(user.id)).attempts).toEqual(before.attempts)
	})
})

describe('completing a course', () => {
	test('every lesson done and every quiz passed issues one completion and redirects to its certificate', async () => {
		const { user, cookie } = await learner({ prefix: 'completer', member: true })
		const course = await fixtureCourse(MEMBERS_COURSE)

		await openLesson(cookie, MEMBERS_COURSE, 'basics')
		expectRedirect(await postLesson(cookie, MEMBERS_COURSE, 'basics', { intent: 'complete' }), lessonUrl(MEMBERS_COURSE, 'final-quiz'))
		expect(await prisma.courseCompletion.count({ where: { userId: user.id } })).toBe(0)
		const { result } = await takeQuiz(cookie, MEMBERS_COURSE, 'final-quiz', correctPositions)

		const code = certificateCodeFrom(result)
		expect(code).toMatch(CERTIFICATE_CODE_PATTERN)
		const completions = await prisma.courseCompletion.findMany({ where: { userId: user.id } })
		expect(completions).toHaveLength(1)
		const completion = completions[0]!
		expect(completion).toMatchObject({
			courseSlug: MEMBERS_COURSE,
			courseVersion: '2.1.0',
			courseTitle: 'Members course',
			learnerName: user.name,
			certificateCode: code,
			revokedAt: null,
		})
		expect(course.facts.validityMonths).toBe(6)
		expect(completion.expiresAt).toEqual(addMonths(completion.completedAt, course.facts.validityMonths))
		expect((await progressOf(user.id, MEMBERS_COURSE))?.completionId).toBe(completion.id)

		// The overview and the lessons now say so.
		const overview = await openCourse(cookie, MEMBERS_COURSE)
		expect(overview.completedRun).toBe(true)
		expect(overview.course.standing.latest).toMatchObject({ certificateCode: code, status: 'valid' })
		expect((await openLesson(cookie, MEMBERS_COURSE, 'basics')).certificateCode).toBe(code)
	})

	test('the free course completes the same way, with its own version, title and default validity of 12 months', async () => {
		const { user, cookie } = await learner({ prefix: 'free-completer' })
		const code = certificateCodeFrom(await passCourse(cookie, FREE_COURSE))
		const completion = await prisma.courseCompletion.findUniqueOrThrow({ where: { certificateCode: code } })
		expect(completion).toMatchObject({ userId: user.id, courseSlug: FREE_COURSE, courseVersion: '1.0.0', courseTitle: 'Demo course', learnerName: user.name })
		expect(completion.expiresAt).toEqual(addMonths(completion.completedAt, 12))
	})

	test('finishing the quiz before the other lesson completes the course on that lesson’s "complete"', async () => {
		const { user, cookie } = await learner({ prefix: 'quiz-first', member: true })
		expectRedirect((await takeQuiz(cookie, MEMBERS_COURSE, 'final-quiz', correctPositions)).result)
		expect(await prisma.courseCompletion.count({ where: { userId: user.id } })).toBe(0)

		const code = certificateCodeFrom(await postLesson(cookie, MEMBERS_COURSE, 'basics', { intent: 'complete' }))
		expect(await prisma.courseCompletion.findMany({ where: { userId: user.id }, select: { certificateCode: true } })).toEqual([{ certificateCode: code }])
	})

	test('completing lessons or passing the quiz again does not issue a second completion', async () => {
		const { user, cookie } = await learner({ prefix: 'complete-again', member: true })
		const code = certificateCodeFrom(await passCourse(cookie, MEMBERS_COURSE))

		expectRedirect(await postLesson(cookie, MEMBERS_COURSE, 'basics', { intent: 'complete' }), lessonUrl(MEMBERS_COURSE, 'final-quiz'))
		const retake = await takeQuiz(cookie, MEMBERS_COURSE, 'final-quiz', correctPositions)
		expectRedirect(retake.result, resultUrl(MEMBERS_COURSE, 'final-quiz', retake.attemptId))

		expect(await prisma.courseCompletion.findMany({ where: { userId: user.id }, select: { certificateCode: true } })).toEqual([{ certificateCode: code }])
	})

	test('restart starts a new run: earlier passes no longer count, and a second pass adds a second completion', async () => {
		const { user, cookie } = await learner({ prefix: 'renewer', member: true })
		const firstCode = certificateCodeFrom(await passCourse(cookie, MEMBERS_COURSE))
		const first = await prisma.courseCompletion.findUniqueOrThrow({ where: { certificateCode: firstCode } })

		expectRedirect(await postCourse(cookie, MEMBERS_COURSE, { intent: 'restart' }), lessonUrl(MEMBERS_COURSE, 'basics'))

		const progress = await progressOf(user.id, MEMBERS_COURSE)
		expect(progress).toMatchObject({ completionId: null, resumeLessonSlug: null, lessons: [] })
		const overview = await openCourse(cookie, MEMBERS_COURSE)
		expect(overview.completedRun).toBe(false)
		expect(overview.lessons.map((lesson) => lesson.done)).toEqual([false, false])
		expect(overview.course.standing.latest?.certificateCode).toBe(firstCode)

		// The quiz passed in the first run does not count for this one.
		await openLesson(cookie, MEMBERS_COURSE, 'basics')
		expectRedirect(await postLesson(cookie, MEMBERS_COURSE, 'basics', { intent: 'complete' }), lessonUrl(MEMBERS_COURSE, 'final-quiz'))
		expect(await prisma.courseCompletion.count({ where: { userId: user.id } })).toBe(1)
		expect((await openLesson(cookie, MEMBERS_COURSE, 'final-quiz')).quizPassed).toBe(false)

		const secondCode = certificateCodeFrom((await takeQuiz(cookie, MEMBERS_COURSE, 'final-quiz', correctPositions)).result)
		expect(secondCode).not.toBe(firstCode)
		const completions = await prisma.courseCompletion.findMany({ where: { userId: user.id }, orderBy: { completedAt: 'asc' } })
		expect(completions.map((completion) => completion.certificateCode)).toEqual([firstCode, secondCode])
		expect(completions[0]).toEqual(first)
		expect((await progressOf(user.id, MEMBERS_COURSE))?.completionId).toBe(completions[1]!.id)
		expect((await openCourse(cookie, MEMBERS_COURSE)).course.standing.latest?.certificateCode).toBe(secondCode)
	})

	test('the course page refuses an unknown intent with 400 and keeps the run', async () => {
		const { user, cookie } = await learner({ prefix: 'restart-bad', member: true })
		await passCourse(cookie, MEMBERS_COURSE)
		const before = await learningRows(user.id)

		const refused = await expectThrownStatus(postCourse(cookie, MEMBERS_COURSE, { intent: 'reset-everything' }), 400)
		expect(refused.data.message).toBe(ALTERED_FORM_MESSAGE)
		await expectThrownStatus(postCourse(cookie, MEMBERS_COURSE, {}), 400)
		expect(await learningRows(user.id)).toEqual(before)
	})
})
