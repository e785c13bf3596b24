import { describe, expect, test } from 'vitest'
import { type Question, type Quiz, QuizSchema } from './course-schema.ts'
import { gradeQuiz, optionsOf, type PublicQuestion, type QuizPresentation, quizSubmissionSchema, resolveChosenOptions, toPublicQuestions } from './quiz.ts'

/** Parsed through the course schema, so the quiz is exactly what a course file yields. */
const quiz: Quiz = QuizSchema.parse({
	questions: [
		{
			id: 'first-step',
			type: 'single',
			prompt: 'You typed your password into a fake page. What first?',
			options: [{ text: 'Wait and see' }, { text: 'Change it and report', correct: true }, { text: 'Delete the email' }],
			explanation: 'Acting fast locks the intruder out.',
		},
		{
			id: 'what-to-report',
			type: 'multiple',
			prompt: 'Which of these do you report?',
			options: [{ text: 'A lost phone', correct: true }, { text: 'A printer out of toner' }, { text: 'An unlocked screen', correct: true }, { text: 'A late bus' }],
			explanation: 'Anything that puts information at risk deserves a report.',
		},
		{ id: 'false-alarms', type: 'true-false', prompt: 'A harmless false alarm wastes everyone’s time.', answer: false, explanation: 'False alarms are cheap.' },
		{ id: 'report-fast', type: 'true-false', prompt: 'Report suspected incidents at once.', answer: true, explanation: 'Speed limits damage.' },
	],
})

/** All four right: single → option 1, multiple → options 0 and 2, false-alarms → "False" (1), report-fast → "True" (0). */
const allRight = { 'first-step': [1], 'what-to-report': [0, 2], 'false-alarms': [1], 'report-fast': [0] }

function questionById(id: string): Question {
	const question = quiz.questions.find((item) => item.id === id)
	if (!question) throw new Error(`no question ${id}`)
	return question
}

/** Grades one question alone, returning whether it scored. */
function scores(id: string, chosen: number[]) {
	const result = gradeQuiz(quiz, { ...allRight, [id]: chosen }, 100, 'en').results.find((item) => item.questionId === id)
	return result?.correct
}

describe('gradeQuiz', () => {
	test('every question right: full score, passed', () => {
		expect(gradeQuiz(quiz, allRight, 80, 'en')).toEqual({
			questionCount: 4,
			correctCount: 4,
			score: 100,
			passed: true,
			results: [
				{ questionId: 'first-step', correct: true, chosen: [1] },
				{ questionId: 'what-to-report', correct: true, chosen: [0, 2] },
				{ questionId: 'false-alarms', correct: true, chosen: [1] },
				{ questionId: 'report-fast', correct: true, chosen: [0] },
			],
		})
	})

	test('single choice: the correct option scores, any other does not', () => {
		expect(scores('first-step', [1])).toBe(true)
		expect(scores('first-step', [0])).toBe(false)
		expect(scores('first-step', [2])).toBe(false)
		expect(scores('first-step', [])).toBe(false)
		expect(scores('first-step', [1, 2])).toBe(false)
	})

	test('multiple choice: only exactly the correct set scores', () => {
		expect(scores('what-to-report', [0, 2])).toBe(true)
		expect(scores('what-to-report', [2, 0])).toBe(true) // order does not matter
		expect(scores('what-to-report', [0])).toBe(false) // subset
		expect(scores('what-to-report', [2])).toBe(false) // subset
		expect(scores('what-to-report', [0, 1, 2])).toBe(false) // superset
		expect(scores('what-to-report', [0, 1, 2, 3])).toBe(false) // everything
		expect(scores('what-to-report', [1, 3])).toBe(false)
		expect(scores('what-to-report', [])).toBe(false)
	})

	test('multiple choice: a chosen option sent twice counts once', () => {
		const grade = gradeQuiz(quiz, { ...allRight, 'what-to-report': [2, 0, 2, 0] }, 80, 'en')
		expect(grade.results[1]).toEqual({ questionId: 'what-to-report', correct: true, chosen: [0, 2] })
		expect(scores('what-to-report', [0, 0])).toBe(false) // a duplicate does not stand in for a missing option
	})

	test('true-false: "True" is option 0 and "False" option 1, whichever the answer', () => {
		expect(scores('report-fast', [0])).toBe(true) // answer: true
		expect(scores('report-fast', [1])).toBe(false)
		expect(scores('false-alarms', [1])).toBe(true) // answer: false
		expect(scores('false-alarms', [0])).toBe(false)
		expect(scores('false-alarms', [0, 1])).toBe(false)
	})

	test('an unanswered question does not score', () => {
		const { 'first-step': _omitted, ...rest } = allRight
		const grade = gradeQuiz(quiz, rest, 80, 'en')
		expect(grade.results[0]).toEqual({ questionId: 'first-step', correct: false, chosen: [] })
		expect(grade.correctCount).toBe(3)
	})

	test('grades the same in German', () => {
		expect(gradeQuiz(quiz, allRight, 80, 'de')).toEqual(gradeQuiz(quiz, allRight, 80, 'en'))
		expect(gradeQuiz(quiz, { ...allRight, 'false-alarms': [0] }, 80, 'de').results[2]?.correct).toBe(false)
	})

	test('the score is rounded down', () => {
		const three = QuizSchema.parse({ questions: quiz.questions.slice(0, 3) })
		const twoOfThree = { 'first-step': [1], 'what-to-report': [0, 2], 'false-alarms': [0] }
		expect(gradeQuiz(three, twoOfThree, 80, 'en').score).toBe(66) // 66.67 → 66, not 67
		expect(gradeQuiz(three, { 'first-step': [1] }, 80, 'en').score).toBe(33)
		// Rounding down matters at the pass mark: 2 of 3 does not reach 67.
		expect(gradeQuiz(three, twoOfThree, 67, 'en').passed).toBe(false)
		expect(gradeQuiz(three, twoOfThree, 66, 'en').passed).toBe(true)
	})

	test('exactly the pass mark passes; one point more is needed above it', () => {
		const threeOfFour = { ...allRight, 'report-fast': [1] }
		const grade = gradeQuiz(quiz, threeOfFour, 75, 'en')
		expect(grade).toMatchObject({ questionCount: 4, correctCount: 3, score: 75, passed: true })
		expect(gradeQuiz(quiz, threeOfFour, 76, 'en').passed).toBe(false)
		expect(gradeQuiz(quiz, {}, 1, 'en')).toMatchObject({ correctCount: 0, score: 0, passed: false })
		expect(gradeQuiz(quiz, allRight, 100, 'en').passed).toBe(true)
	})
})

describe('optionsOf', () => {
	test('gives single and multiple choice options as written', () => {
		expect(optionsOf(questionById('first-step'), 'de')).toEqual([
			{ text: 'Wait and see', correct: false },
			{ text: 'Change it and report', correct: true },
			{ text: 'Delete the email', correct: false },
		])
	})

	test('turns true-false into two options in the quiz’s language', () => {
		expect(optionsOf(questionById('report-fast'), 'en')).toEqual([
			{ text: 'True', correct: true },
			{ text: 'False', correct: false },
		])
		expect(optionsOf(questionById('false-alarms'), 'en')).toEqual([
			{ text: 'True', correct: false },
			{ text: 'False', correct: true },
		])
		expect(optionsOf(questionById('false-alarms'), 'de')).toEqual([
			{ text: 'Wahr', correct: false },
			{ text: 'Falsch', correct: true },
		])
	})
})

/** An attempt's presentation: opaque ids, options shuffled. */
const presentation: QuizPresentation = {
	'first-step': [
		{ id: 'aaaaaaaaaaa2', option: 2 },
		{ id: 'aaaaaaaaaaa0', option: 0 },
		{ id: 'aaaaaaaaaaa1', option: 1 },
	],
	'what-to-report': [
		{ id: 'bbbbbbbbbbb3', option: 3 },
		{ id: 'bbbbbbbbbbb1', option: 1 },
		{ id: 'bbbbbbbbbbb0', option: 0 },
		{ id: 'bbbbbbbbbbb2', option: 2 },
	],
	'false-alarms': [
		{ id: 'ccccccccccc0', option: 0 },
		{ id: 'ccccccccccc1', option: 1 },
	],
	'report-fast': [
		{ id: 'ddddddddddd0', option: 0 },
		{ id: 'ddddddddddd1', option: 1 },
	],
}

function allKeys(value: unknown): string[] {
	if (Array.isArray(value)) return value.flatMap(allKeys)
	if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [key, ...allKeys(inner)])
	return []
}

describe('toPublicQuestions', () => {
	test('gives prompts and option texts under the attempt’s ids, in its order', () => {
		const questions = toPublicQuestions(quiz, presentation, 'en')
		expect(questions[0]).toEqual({
			id: 'first-step',
			type: 'single',
			prompt: 'You typed your password into a fake page. What first?',
			options: [
				{ id: 'aaaaaaaaaaa2', text: 'Delete the email' },
				{ id: 'aaaaaaaaaaa0', text: 'Wait and see' },
				{ id: 'aaaaaaaaaaa1', text: 'Change it and report' },
			],
		})
		expect(questions[1]?.options.map((option) => option.text)).toEqual(['A late bus', 'A printer out of toner', 'A lost phone', 'An unlocked screen'])
		expect(toPublicQuestions(quiz, presentation, 'de')[2]?.options).toEqual([
			{ id: 'ccccccccccc0', text: 'Wahr' },
			{ id: 'ccccccccccc1', text: 'Falsch' },
		])
	})

	test('never includes correct flags, answers or explanations, at any depth', () => {
		for (const language of ['en', 'de'] as const) {
			const questions = toPublicQuestions(quiz, presentation, language)
			const keys = new Set(allKeys(questions))
			expect([...keys].sort()).toEqual(['id', 'options', 'prompt', 'text', 'type'])
			const json = JSON.stringify(questions)
			for (const question of quiz.questions) expect(json).not.toContain(question.explanation)
		}
	})
})

const publicQuestions: Pick<PublicQuestion, 'id' | 'type' | 'options'>[] = toPublicQuestions(quiz, presentation, 'en')
const schema = quizSubmissionSchema(publicQuestions)
const validAnswers = { 'first-step': ['aaaaaaaaaaa1'], 'what-to-report': ['bbbbbbbbbbb0', 'bbbbbbbbbbb2'], 'false-alarms': ['ccccccccccc1'], 'report-fast': ['ddddddddddd0'] }

function issuesOf(value: unknown) {
	const parsed = schema.safeParse(value)
	if (parsed.success) throw new Error('expected the submission to be refused')
	return parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
}

describe('quizSubmissionSchema', () => {
	test('accepts a complete submission', () => {
		expect(schema.parse({ attemptId: 'attempt123', answers: validAnswers })).toEqual({ attemptId: 'attempt123', answers: validAnswers })
	})

	test('a missing answer names the question by its number', () => {
		const { 'false-alarms': _missing, ...rest } = validAnswers
		expect(issuesOf({ attemptId: 'attempt123', answers: rest })).toEqual([{ path: 'answers.false-alarms', message: 'Answer question 3' }])
	})

	test('a missing multiple-choice answer asks for every option that applies', () => {
		const { 'what-to-report': _missing, ...rest } = validAnswers
		expect(issuesOf({ attemptId: 'attempt123', answers: rest })).toEqual([{ path: 'answers.what-to-report', message: 'Answer question 2: choose every option that applies' }])
		expect(issuesOf({ attemptId: 'attempt123', answers: { ...validAnswers, 'what-to-report': [] } })).toEqual([
			{ path: 'answers.what-to-report', message: 'Answer question 2: choose every option that applies' },
		])
	})

	test('an option id that was not shown is refused', () => {
		expect(issuesOf({ attemptId: 'attempt123', answers: { ...validAnswers, 'first-step': ['bbbbbbbbbbb0'] } })).toEqual([
			{ path: 'answers.first-step.0', message: 'That answer is not one of the options; reload the quiz' },
		])
		expect(issuesOf({ attemptId: 'attempt123', answers: { ...validAnswers, 'what-to-report': ['bbbbbbbbbbb0', 'ffffffffffff'] } })).toEqual([
			{ path: 'answers.what-to-report.1', message: 'That answer is not one of the options; reload the quiz' },
		])
	})

	test('two answers to a single-choice or true-false question are refused', () => {
		expect(issuesOf({ attemptId: 'attempt123', answers: { ...validAnswers, 'first-step': ['aaaaaaaaaaa1', 'aaaaaaaaaaa0'] } })).toEqual([
			{ path: 'answers.first-step', message: 'Answer question 1 with one option' },
		])
		expect(issuesOf({ attemptId: 'attempt123', answers: { ...validAnswers, 'report-fast': ['ddddddddddd0', 'ddddddddddd1'] } })).toEqual([
			{ path: 'answers.report-fast', message: 'Answer question 4 with one option' },
		])
	})

	test('a lone string is taken as a one-element list, also for multiple choice', () => {
		const parsed = schema.parse({ attemptId: 'attempt123', answers: { ...validAnswers, 'first-step': 'aaaaaaaaaaa1', 'what-to-report': 'bbbbbbbbbbb0' } })
		expect(parsed.answers['first-step']).toEqual(['aaaaaaaaaaa1'])
		expect(parsed.answers['what-to-report']).toEqual(['bbbbbbbbbbb0'])
	})

	test('refuses a malformed attempt id and a missing answers object', () => {
		expect(issuesOf({ attemptId: 'Attempt 1!', answers: validAnswers })).toEqual([{ path: 'attemptId', message: 'This quiz form is not valid; reload the page' }])
		expect(issuesOf({ attemptId: 'attempt123' })).toEqual([{ path: 'answers', message: 'Answer every question' }])
	})
})

describe('resolveChosenOptions', () => {
	test('maps the chosen ids back to the options’ positions in the course file', () => {
		expect(resolveChosenOptions(presentation, validAnswers)).toEqual({ 'first-step': [1], 'what-to-report': [0, 2], 'false-alarms': [1], 'report-fast': [0] })
		// …which is what gradeQuiz takes.
		expect(gradeQuiz(quiz, resolveChosenOptions(presentation, validAnswers), 100, 'en').passed).toBe(true)
	})

	test('ignores ids that were not shown for the question and answers to unknown questions', () => {
		const resolved = resolveChosenOptions(presentation, {
			'first-step': ['aaaaaaaaaaa1', 'bbbbbbbbbbb0', 'ffffffffffff'],
			'what-to-report': ['bbbbbbbbbbb3'],
			'made-up': ['aaaaaaaaaaa1'],
		})
		expect(resolved).toEqual({ 'first-step': [1], 'what-to-report': [3], 'false-alarms': [], 'report-fast': [] })
	})
})
