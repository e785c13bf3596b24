import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { type CourseProblem, formatProblem, LIBRARY_FILE, readCourseSources } from './course-source.server.ts'
import {
	COURSE_MDX,
	type CourseFiles,
	edit,
	ENGLISH_COURSE,
	GERMAN_TRANSLATION,
	INTRO_MDX,
	lines,
	QUIZ_MDX,
	removeTempCourses,
	writeTempCourse,
} from './temp-course.test-helper.ts'

afterEach(removeTempCourses)

/** Reads a course with `changes` applied to the valid base course; a broken course is left out. */
async function read(changes: CourseFiles, options?: Parameters<typeof writeTempCourse>[1]) {
	const course = writeTempCourse(changes, options)
	const result = await readCourseSources(course.root)
	return { ...result, file: course.file }
}

async function problemsOf(changes: CourseFiles, options?: Parameters<typeof writeTempCourse>[1]) {
	const { courses, problems, file } = await read(changes, options)
	expect(courses).toEqual([])
	expect(problems.length).toBeGreaterThan(0)
	return { problems, file }
}

describe('formatProblem', () => {
	test('is file:line: field: message', () => {
		expect(formatProblem({ file: 'courses/a/course.mdx', line: 4, field: 'version', message: 'version must look like "1.0.0"' })).toBe(
			'courses/a/course.mdx:4: version: version must look like "1.0.0"',
		)
	})

	test('leaves out the line or the field when the problem has none', () => {
		expect(formatProblem({ file: 'courses/a/course.mdx', field: 'languages', message: 'add "de"' })).toBe('courses/a/course.mdx: languages: add "de"')
		expect(formatProblem({ file: 'courses/a/01-x.mdx', line: 7, message: '<Callout> must start on its own line' })).toBe(
			'courses/a/01-x.mdx:7: <Callout> must start on its own line',
		)
		expect(formatProblem({ file: 'courses/a', message: 'a course needs at least one lesson' })).toBe('courses/a: a course needs at least one lesson')
	})
})

describe('a valid course', () => {
	test('is read with its facts, defaults and lessons in order', async () => {
		const { courses, problems, file } = await read({})
		expect(problems).toEqual([])
		expect(courses).toHaveLength(1)
		const [course] = courses
		expect(course?.slug).toBe('spotting-phishing')
		expect(course?.facts).toEqual({
			version: '1.0.0',
			estimatedMinutes: 10,
			level: 'beginner',
			free: true,
			topics: ['phishing'],
			principles: [6],
			validityMonths: 12,
			passMark: 80,
			languages: ['en'],
		})
		expect(course?.variants.en.title).toBe('Spotting phishing')
		expect(course?.variants.en.file).toBe(file('course.mdx'))
		expect(course?.variants.en.lessons.map((lesson) => [lesson.position, lesson.slug, lesson.title, lesson.file])).toEqual([
			[1, 'spot-the-signs', 'Spot the signs', file('01-spot-the-signs.mdx')],
			[2, 'check-yourself', 'Check yourself', file('02-check-yourself.mdx')],
		])
		expect([course?.variants.en.file, ...(course?.variants.en.lessons.map((lesson) => lesson.file) ?? [])]).toEqual([file('course.mdx'), file('01-spot-the-signs.mdx'), file('02-check-yourself.mdx')])
	})

	test('keeps the quiz in the frontmatter data and out of the lesson body, whose lines stay the file’s lines', async () => {
		const { courses } = await read({})
		const quizLesson = courses[0]?.variants.en.lessons[1]
		expect(quizLesson?.quiz?.questions.map((question) => question.id)).toEqual(['first-step', 'what-to-report', 'false-alarms'])
		const body = quizLesson?.body ?? ''
		expect(body).not.toContain('explanation')
		expect(body).not.toContain('correct')
		expect(body).not.toContain('Acting fast locks the intruder out.')
		// The frontmatter is blanked, not cut: line 32 of the file is still line 32 of the body.
		expect(body.split('\n')[31]).toBe('<Quiz />')
		expect(body.split('\n').slice(0, 28).every((line) => line === '')).toBe(true)
	})

	test('reads a declared translation', async () => {
		const { courses, problems } = await read(GERMAN_TRANSLATION)
		expect(problems).toEqual([])
		expect(courses[0]?.facts.languages).toEqual(['en', 'de'])
		expect(courses[0]?.variants.de?.title).toBe('Phishing erkennen')
		expect(courses[0]?.variants.de?.lessons.map((lesson) => lesson.slug)).toEqual(['spot-the-signs', 'check-yourself'])
	})

	test('orders lessons by number, not by slug', async () => {
		const { courses, problems } = await read({ '10-after-action.mdx': lines('---', 'title: Afterwards', '---', '', 'Text.') })
		expect(problems).toEqual([])
		expect(courses[0]?.variants.en.lessons.map((lesson) => `${lesson.position}:${lesson.slug}`)).toEqual(['1:spot-the-signs', '2:check-yourself', '10:after-action'])
	})
})

describe('course.mdx frontmatter', () => {
	test('missing frontmatter', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': lines('Why phishing matters.') })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 1, message: 'the file must start with frontmatter between two "---" lines' }])
	})

	test('frontmatter that does not start the file', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': `\n${COURSE_MDX}` })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 1, message: 'the file must start with frontmatter between two "---" lines' }])
	})

	test('invalid YAML: a key given twice, reported at the second one', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'level: beginner\n', 'level: beginner\ntitle: Again\n') })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 7, message: 'invalid YAML: Map keys must be unique' }])
	})

	test('invalid YAML: an unquoted colon in a value', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'summary: How to', 'summary: Tip: how to') })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 3, message: 'invalid YAML: Nested mappings are not allowed in compact mappings' }])
		expect(formatProblem(problems[0] as CourseProblem)).toBe(`${file('course.mdx')}:3: invalid YAML: Nested mappings are not allowed in compact mappings`)
	})

	test('missing title', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'title: Spotting phishing\n', '') })
		// A missing key points at its parent: the frontmatter's first line, under the opening "---".
		expect(problems).toEqual([{ file: file('course.mdx'), line: 2, field: 'title', message: 'title is required' }])
	})

	test('empty title', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'title: Spotting phishing', 'title: "  "') })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 2, field: 'title', message: 'title must not be empty' }])
	})

	test('wrong version format', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'version: 1.0.0', 'version: "1.0"') })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 4, field: 'version', message: 'version must look like "1.0.0" (major.minor.patch)' }])
		expect(formatProblem(problems[0] as CourseProblem)).toBe(`${file('course.mdx')}:4: version: version must look like "1.0.0" (major.minor.patch)`)
	})

	test('unknown topic', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'topics: [phishing]', 'topics: [phishing, cooking]') })
		expect(problems).toEqual([
			{ file: file('course.mdx'), line: 8, field: 'topics[1]', message: expect.stringMatching(/^unknown topic; use one of: .*\bpasswords\b/) },
		])
	})

	test('principle 11', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'principles: [6]', 'principles: [6, 11]') })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 9, field: 'principles[1]', message: 'Charter of Trust principles are numbered 1 to 10' }])
	})

	test('empty principles', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'principles: [6]', 'principles: []') })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 9, field: 'principles', message: 'name at least one Charter of Trust principle (1–10)' }])
	})

	test.each([0, 101])('passMark %i is out of range', async (passMark) => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'principles: [6]\n', `principles: [6]\npassMark: ${passMark}\n`) })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 10, field: 'passMark', message: 'passMark must be between 1 and 100' }])
	})

	test('a level outside the list', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'level: beginner', 'level: expert') })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 6, field: 'level', message: 'level must be one of: beginner, intermediate, advanced' }])
	})

	test('several problems at once, each on its own line', async () => {
		const { problems, file } = await problemsOf({
			'course.mdx': edit(edit(COURSE_MDX, 'estimatedMinutes: 10', 'estimatedMinutes: 0'), 'free: true', 'free: yes please'),
		})
		expect(problems).toEqual([
			{ file: file('course.mdx'), line: 5, field: 'estimatedMinutes', message: 'estimatedMinutes must be at least 1' },
			{ file: file('course.mdx'), line: 7, field: 'free', message: 'free must be true or false' },
		])
	})

	test('an unknown extra key is refused (strict) and named', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'level: beginner\n', 'level: beginner\nauthor: Jane\n') })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 7, field: 'author', message: 'unknown field: check its spelling against courses/README.md' }])
	})

	test('a translation’s course.mdx may only give title and summary', async () => {
		const { problems, file } = await problemsOf({
			...GERMAN_TRANSLATION,
			'de/course.mdx': lines('---', 'title: Phishing erkennen', 'summary: Wie Sie Phishing erkennen.', 'version: 1.0.0', '---', '', 'Text.'),
		})
		expect(problems).toEqual([{ file: file('de', 'course.mdx'), line: 4, field: 'version', message: 'unknown field: check its spelling against courses/README.md' }])
	})
})

describe('quiz frontmatter', () => {
	test('a broken quiz is reported once, as itself (not also as "a course needs a quiz")', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': edit(QUIZ_MDX, "        - text: Change it and report\n          correct: true\n", '        - text: Change it and report\n') })
		expect(problems).toHaveLength(1)
		expect(problems[0]).toMatchObject({ file: file('02-check-yourself.mdx'), field: 'quiz.questions[0].options' })
	})

	test('single choice with no correct option', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': edit(QUIZ_MDX, "        - text: Change it and report\n          correct: true\n", '        - text: Change it and report\n') })
		expect(problems).toContainEqual({
			file: file('02-check-yourself.mdx'),
			line: 8,
			field: 'quiz.questions[0].options',
			message: 'a single-choice question needs exactly 1 correct option (found 0)',
		})
	})

	test('single choice with two correct options', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': edit(QUIZ_MDX, '        - text: Wait and see\n', '        - text: Wait and see\n          correct: true\n') })
		expect(problems).toContainEqual({
			file: file('02-check-yourself.mdx'),
			line: 8,
			field: 'quiz.questions[0].options',
			message: 'a single-choice question needs exactly 1 correct option (found 2)',
		})
	})

	test('multiple choice with no correct option', async () => {
		const quiz = edit(
			edit(QUIZ_MDX, '        - text: A lost company phone\n          correct: true\n', '        - text: A lost company phone\n'),
			'        - text: An unlocked screen\n          correct: true\n',
			'        - text: An unlocked screen\n',
		)
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': quiz })
		expect(problems).toContainEqual({
			file: file('02-check-yourself.mdx'),
			line: 16,
			field: 'quiz.questions[1].options',
			message: 'a multiple-choice question needs at least 1 correct option',
		})
	})

	test('true-false without answer', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': edit(QUIZ_MDX, '      answer: false\n', '') })
		expect(problems).toContainEqual({
			file: file('02-check-yourself.mdx'),
			line: 23,
			field: 'quiz.questions[2].answer',
			message: 'a true-false question needs answer: true or answer: false',
		})
	})

	test('question without explanation', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': edit(QUIZ_MDX, '      explanation: Acting fast locks the intruder out.\n', '') })
		expect(problems).toContainEqual({
			file: file('02-check-yourself.mdx'),
			line: 5,
			field: 'quiz.questions[0].explanation',
			message: 'explanation (shown after the learner submits) is required',
		})
	})

	test('duplicate question ids', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': edit(QUIZ_MDX, 'id: false-alarms', 'id: first-step') })
		expect(problems).toContainEqual({ file: file('02-check-yourself.mdx'), line: 23, field: 'quiz.questions[2].id', message: 'question id "first-step" is used twice' })
	})

	test('bad question type', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': edit(QUIZ_MDX, 'type: true-false', 'type: yes-no') })
		expect(problems).toContainEqual({ file: file('02-check-yourself.mdx'), line: 24, field: 'quiz.questions[2].type', message: 'type must be one of: single, multiple, true-false' })
	})

	test('a question id that is not kebab-case', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': edit(QUIZ_MDX, 'id: what-to-report', 'id: What To Report') })
		expect(problems).toContainEqual({
			file: file('02-check-yourself.mdx'),
			line: 13,
			field: 'quiz.questions[1].id',
			message: 'use lower-case letters, digits and single hyphens, like "spotting-phishing"',
		})
	})

	test('an unknown key in a question names the question', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': edit(QUIZ_MDX, '      answer: false\n', '      answer: false\n      hint: think\n') })
		expect(problems).toEqual([{ file: file('02-check-yourself.mdx'), line: 27, field: 'quiz.questions[2].hint', message: 'unknown field: check its spelling against courses/README.md' }])
	})

	test('a lesson without a title', async () => {
		const { problems, file } = await problemsOf({ '01-spot-the-signs.mdx': lines('---', 'titel: Spot the signs', '---', '', 'Text.') })
		expect(problems).toEqual([
			{ file: file('01-spot-the-signs.mdx'), line: 2, field: 'title', message: 'title is required' },
			{ file: file('01-spot-the-signs.mdx'), line: 2, field: 'titel', message: 'unknown field: check its spelling against courses/README.md' },
		])
	})
})

describe('course structure', () => {
	test('a lesson file misnamed', async () => {
		const { problems, file } = await problemsOf({ '1-intro.mdx': INTRO_MDX })
		expect(problems).toEqual([{ file: file('1-intro.mdx'), message: 'lesson files are named NN-lesson-slug.mdx, like "01-spotting-the-signs.mdx"' }])
	})

	test('two lessons with the same number', async () => {
		const { problems, file } = await problemsOf({ '01-welcome.mdx': INTRO_MDX })
		expect(problems).toEqual([
			{ file: file('01-welcome.mdx'), message: `clashes with ${file('01-spot-the-signs.mdx')}: lesson numbers and slugs must be unique` },
		])
	})

	test('two lessons with the same slug', async () => {
		const { problems, file } = await problemsOf({ '03-spot-the-signs.mdx': INTRO_MDX })
		expect(problems).toEqual([
			{ file: file('03-spot-the-signs.mdx'), message: `clashes with ${file('01-spot-the-signs.mdx')}: lesson numbers and slugs must be unique` },
		])
	})

	test('a course without any lesson', async () => {
		const { problems, file } = await problemsOf({ '01-spot-the-signs.mdx': null, '02-check-yourself.mdx': null })
		expect(problems).toEqual([{ file: file(), message: 'a course needs at least one lesson (NN-lesson-slug.mdx)' }])
	})

	test('a course without a quiz', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': null })
		expect(problems).toEqual([{ file: file(), message: "a course needs at least one quiz: add quiz: to a lesson's frontmatter" }])
	})

	test('a course folder without course.mdx', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': null })
		expect(problems).toEqual([{ file: file('course.mdx'), message: 'missing: every course (and every translation) needs a course.mdx' }])
	})

	test('a course folder that is not kebab-case', async () => {
		const { problems, file } = await problemsOf({}, { slug: 'Spotting_Phishing' })
		expect(problems).toEqual([{ file: file(), message: 'course folders are named in lower-case kebab-case, like "phishing-basics"' }])
	})

	test('a folder that is not a language', async () => {
		const { problems, file } = await problemsOf({ 'fr/course.mdx': lines('---', 'title: Le phishing', 'summary: Un cours.', '---') })
		expect(problems).toEqual([{ file: file('fr'), message: 'unexpected folder: translations live in folders named after a language (de)' }])
	})
})

describe('translations', () => {
	test('declared language "de" without a de/ folder', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': GERMAN_TRANSLATION['course.mdx'] ?? null })
		expect(problems).toEqual([{ file: file('course.mdx'), field: 'languages', message: 'declares "de", but the folder de/ with the translation is missing' }])
	})

	test('a de/ folder the course does not declare', async () => {
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'course.mdx': COURSE_MDX })
		expect(problems).toEqual([{ file: file('course.mdx'), field: 'languages', message: 'the folder de/ exists, so add "de" to languages' }])
	})

	test('a language outside the supported ones', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': edit(COURSE_MDX, 'principles: [6]\n', 'principles: [6]\nlanguages: [en, fr]\n') })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 10, field: 'languages[1]', message: 'languages must be among: en, de' }])
	})

	test('languages without English', async () => {
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'course.mdx': edit(COURSE_MDX, 'principles: [6]\n', 'principles: [6]\nlanguages: [de]\n') })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 10, field: 'languages', message: 'languages must include "en": English is required' }])
	})

	test('a translation with different lesson files', async () => {
		const { problems, file } = await problemsOf({
			...GERMAN_TRANSLATION,
			'de/01-spot-the-signs.mdx': null,
			'de/01-die-anzeichen.mdx': GERMAN_TRANSLATION['de/01-spot-the-signs.mdx'] ?? null,
		})
		expect(problems).toEqual([
			{
				file: file('de'),
				message: 'the translation must have the same lesson files as the English course (01-spot-the-signs.mdx, 02-check-yourself.mdx); found: 01-die-anzeichen.mdx, 02-check-yourself.mdx',
			},
		])
	})

	test('a translation missing a lesson', async () => {
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'de/02-check-yourself.mdx': null })
		expect(problems).toEqual([
			{
				file: file('de'),
				message: 'the translation must have the same lesson files as the English course (01-spot-the-signs.mdx, 02-check-yourself.mdx); found: 01-spot-the-signs.mdx',
			},
		])
	})

	const germanQuiz = GERMAN_TRANSLATION['de/02-check-yourself.mdx'] ?? ''

	test('a translation whose true-false answer differs', async () => {
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'de/02-check-yourself.mdx': edit(germanQuiz, 'answer: false', 'answer: true') })
		expect(problems).toEqual([
			{
				file: file('de', '02-check-yourself.mdx'),
				field: 'quiz.questions[2]',
				message: `options and correct answers must match ${file('02-check-yourself.mdx')} (same number, same order, same correct ones)`,
			},
		])
	})

	test('a translation that marks another option correct', async () => {
		const quiz = edit(
			germanQuiz,
			'        - text: Wait and see\n        - text: Change it and report\n          correct: true\n',
			'        - text: Wait and see\n          correct: true\n        - text: Change it and report\n',
		)
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'de/02-check-yourself.mdx': quiz })
		expect(problems).toEqual([
			{
				file: file('de', '02-check-yourself.mdx'),
				field: 'quiz.questions[0]',
				message: `options and correct answers must match ${file('02-check-yourself.mdx')} (same number, same order, same correct ones)`,
			},
		])
	})

	test('a translation with an extra option', async () => {
		const quiz = edit(germanQuiz, '        - text: A printer out of toner\n', '        - text: A printer out of toner\n        - text: A coffee stain\n')
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'de/02-check-yourself.mdx': quiz })
		expect(problems).toEqual([
			{
				file: file('de', '02-check-yourself.mdx'),
				field: 'quiz.questions[1]',
				message: `options and correct answers must match ${file('02-check-yourself.mdx')} (same number, same order, same correct ones)`,
			},
		])
	})

	test('a translation with other question ids', async () => {
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'de/02-check-yourself.mdx': edit(germanQuiz, 'id: false-alarms', 'id: fehlalarme') })
		expect(problems).toEqual([
			{
				file: file('de', '02-check-yourself.mdx'),
				field: 'quiz.questions',
				message: `question ids must match ${file('02-check-yourself.mdx')} in the same order (first-step, what-to-report, false-alarms)`,
			},
		])
	})

	test('a translation that changes a question’s type', async () => {
		const quiz = edit(edit(germanQuiz, 'type: multiple', 'type: single'), '        - text: An unlocked screen\n          correct: true\n', '        - text: An unlocked screen\n')
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'de/02-check-yourself.mdx': quiz })
		expect(problems).toEqual([{ file: file('de', '02-check-yourself.mdx'), field: 'quiz.questions[1].type', message: `must be "multiple" as in ${file('02-check-yourself.mdx')}` }])
	})

	test('a translation that leaves the quiz out', async () => {
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'de/02-check-yourself.mdx': lines('---', 'title: Prüfen Sie sich', '---', '', 'Text.') })
		expect(problems).toEqual([
			{ file: file('de', '02-check-yourself.mdx'), field: 'quiz', message: `missing: the translation must have a quiz exactly when ${file('02-check-yourself.mdx')} has one` },
		])
	})

	test('a translation that adds a quiz', async () => {
		const quiz = lines('---', 'title: Die Anzeichen', 'quiz:', '  questions:', '    - id: extra', '      type: true-false', '      prompt: Ja?', '      answer: true', '      explanation: Ja.', '---', '', '<Quiz />')
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'de/01-spot-the-signs.mdx': quiz })
		expect(problems).toEqual([
			{ file: file('de', '01-spot-the-signs.mdx'), field: 'quiz', message: `unexpected: the translation must have a quiz exactly when ${file('01-spot-the-signs.mdx')} has one` },
		])
	})

	test('a translation’s course.mdx is required', async () => {
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'de/course.mdx': null })
		expect(problems).toEqual([{ file: file('de', 'course.mdx'), message: 'missing: every course (and every translation) needs a course.mdx' }])
	})
})

test('one broken course does not hide the others', async () => {
	const broken = writeTempCourse({ 'course.mdx': edit(COURSE_MDX, 'version: 1.0.0', 'version: one') })
	// A second, valid course in the same courses directory.
	fs.mkdirSync(path.join(broken.root, 'another-course'))
	for (const [name, content] of Object.entries(ENGLISH_COURSE)) {
		if (content) fs.writeFileSync(path.join(broken.root, 'another-course', name), content)
	}
	const { courses, problems } = await readCourseSources(broken.root)
	expect(courses.map((course) => course.slug)).toEqual(['another-course'])
	expect(problems).toEqual([{ file: broken.file('course.mdx'), line: 4, field: 'version', message: 'version must look like "1.0.0" (major.minor.patch)' }])
})

describe('the library’s rules (library.yml)', () => {
	/** The base course in a library whose library.yml says `rules`. */
	async function readWithRules(rules: string, changes: CourseFiles = {}) {
		const course = writeTempCourse(changes)
		fs.writeFileSync(path.join(course.root, LIBRARY_FILE), rules)
		return { ...(await readCourseSources(course.root)), file: course.file, root: course.root }
	}

	test('a free course missing one of the library’s languages is refused', async () => {
		const { courses, problems, file } = await readWithRules('freeCourseLanguages: [en, de]\n')
		expect(courses).toEqual([])
		expect(problems).toEqual([
			{ file: file('course.mdx'), field: 'languages', message: 'a free course is offered in every language of library.yml (en, de): add "de" and the translation' },
		])
	})

	test('a free course in every language, or a paid one in English only, passes', async () => {
		expect((await readWithRules('freeCourseLanguages: [en, de]\n', GERMAN_TRANSLATION)).problems).toEqual([])
		expect((await readWithRules('freeCourseLanguages: [en, de]\n', { 'course.mdx': edit(COURSE_MDX, 'free: true', 'free: false') })).problems).toEqual([])
	})

	test('estimatedMinutes far from the lessons’ reading time is refused with the figures', async () => {
		// The base course's two lessons have 135 words: at 18 words a minute, about 8 minutes.
		expect((await readWithRules('wordsPerMinute: 18\n')).problems).toEqual([])
		const { problems, file } = await readWithRules('wordsPerMinute: 18\n', { 'course.mdx': edit(COURSE_MDX, 'estimatedMinutes: 10', 'estimatedMinutes: 25') })
		expect(problems).toEqual([
			{ file: file('course.mdx'), field: 'estimatedMinutes', message: 'the lessons have 135 words, about 8 minutes at 18 words a minute; estimatedMinutes is 25' },
		])
	})

	test('an unknown rule is named', async () => {
		const { problems, root } = await readWithRules('wordsPerHour: 9000\n')
		expect(problems).toEqual([{ file: path.relative(process.cwd(), path.join(root, 'library.yml')), field: '', message: "Unrecognized key(s) in object: 'wordsPerHour'" }])
	})

	test('the real library holds its courses to its rules', async () => {
		const { problems } = await readCourseSources(path.resolve('courses'))
		expect(problems.map(formatProblem)).toEqual([])
	})
})
