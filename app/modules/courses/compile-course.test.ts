import { afterEach, describe, expect, test } from 'vitest'
import { quizOf } from './answer-keys.server.ts'
import { type CompiledCourse, compileCourse, hashSources } from './compile-course.server.tsx'
import { QuizSchema } from './course-schema.ts'
import { type CourseProblem, readCourseSources } from './course-source.server.ts'
import {
	COURSE_MDX,
	type CourseFiles,
	edit,
	GERMAN_TRANSLATION,
	INTRO_MDX,
	lines,
	QUIZ_MDX,
	removeTempCourses,
	writeTempCourse,
} from './temp-course.test-helper.ts'

afterEach(removeTempCourses)

/** Reads a course whose frontmatter is valid, then compiles its MDX. */
async function compile(changes: CourseFiles, options?: Parameters<typeof writeTempCourse>[1]) {
	const course = writeTempCourse(changes, options)
	const { courses, problems } = await readCourseSources(course.root)
	// What these tests break is in the MDX bodies: reading the sources finds nothing wrong.
	expect(problems).toEqual([])
	expect(courses).toHaveLength(1)
	const compileProblems: CourseProblem[] = []
	const compiled = await compileCourse(courses[0] as (typeof courses)[number], compileProblems)
	return { compiled, problems: compileProblems, file: course.file }
}

async function problemsOf(changes: CourseFiles) {
	const { compiled, problems, file } = await compile(changes)
	expect(compiled).toBeNull()
	return { problems, file }
}

/** A lesson with the given body lines; the body starts on line 5, after the frontmatter and a blank line. */
const lesson = (...body: string[]) => lines('---', 'title: Spot the signs', '---', '', ...body)

describe('a valid course', () => {
	test('compiles every lesson in order, with slugs from the file names', async () => {
		const { compiled, problems } = await compile({ '10-after-action.mdx': lines('---', 'title: Afterwards', '---', '', 'Text.') })
		expect(problems).toEqual([])
		expect(compiled?.slug).toBe('spotting-phishing')
		expect(compiled?.variants.en.title).toBe('Spotting phishing')
		expect(compiled?.variants.en.summary).toBe('How to recognise a phishing email before you click.')
		expect(compiled?.variants.en.overviewHtml).toBe('<p>Why phishing matters.</p>')
		expect(compiled?.variants.en.lessons.map(({ position, slug, title }) => ({ position, slug, title }))).toEqual([
			{ position: 1, slug: 'spot-the-signs', title: 'Spot the signs' },
			{ position: 2, slug: 'check-yourself', title: 'Check yourself' },
			{ position: 10, slug: 'after-action', title: 'Afterwards' },
		])
	})

	test('splits a quiz lesson’s HTML around <Quiz />', async () => {
		const { compiled } = await compile({})
		const [intro, quizLesson] = compiled?.variants.en.lessons ?? []
		expect(intro?.html).toBe('<p>Look at the <strong>sender</strong> first.</p>')
		expect(intro && 'htmlAfterQuiz' in intro).toBe(false)
		expect(intro && 'quiz' in intro).toBe(false)
		expect(quizLesson?.html).toContain('<p>Before the quiz.</p>')
		expect(quizLesson?.html).not.toContain('After the quiz.')
		expect(quizLesson?.htmlAfterQuiz).toContain('<p>After the quiz.</p>')
		expect(quizLesson?.htmlAfterQuiz).not.toContain('Before the quiz.')
		expect(`${quizLesson?.html}${quizLesson?.htmlAfterQuiz}`).not.toContain('data-quiz-slot')
	})

	test('keeps the quiz, answers and explanations apart from the course, never in it or its HTML', async () => {
		const { compiled } = await compile(GERMAN_TRANSLATION)
		const course = compiled as CompiledCourse
		const quizLesson = course.variants.en.lessons[1]
		expect(quizLesson?.hasQuiz).toBe(true)
		// The answer key is there, on the server, for the grading code…
		const quiz = quizOf(course, 'check-yourself', 'en')
		expect(quiz).toEqual(QuizSchema.parse(quiz))
		expect(quiz?.questions.map((question) => question.explanation)).toEqual([
			'Acting fast locks the intruder out.',
			'Anything that puts information at risk deserves a report.',
			'False alarms are cheap and teach the security team a lot.',
		])
		const secrets = (quiz?.questions ?? []).flatMap((question) => [
			question.explanation,
			question.prompt,
			...(question.type === 'true-false' ? [] : question.options.map((option) => option.text)),
		])
		expect(secrets).toHaveLength(11)
		// …not in the course object a loader could pass on…
		const serialised = JSON.stringify(course)
		for (const secret of secrets) expect(serialised).not.toContain(secret)
		expect(serialised).not.toMatch(/"correct"|"explanation"/)
		// …and none of it in any HTML the browser receives, in either language.
		for (const variant of [course.variants.en, course.variants.de]) {
			expect(variant).toBeDefined()
			const pages = [variant?.overviewHtml ?? '', ...(variant?.lessons ?? []).flatMap((item) => [item.html, item.htmlAfterQuiz ?? ''])]
			for (const html of pages) {
				expect(html).not.toMatch(/correct/i)
				expect(html).not.toMatch(/explanation/i)
				expect(html).not.toMatch(/answer/i)
				expect(html).not.toMatch(/questions|quiz:/)
				for (const secret of secrets) expect(html).not.toContain(secret)
			}
		}
	})

	test('compiles every declared language with its own labels', async () => {
		const takeaways = ['', '<KeyTakeaways>', '- Check the sender.', '</KeyTakeaways>']
		const { compiled, problems } = await compile({
			...GERMAN_TRANSLATION,
			'01-spot-the-signs.mdx': INTRO_MDX + takeaways.join('\n'),
			'de/01-spot-the-signs.mdx': (GERMAN_TRANSLATION['de/01-spot-the-signs.mdx'] ?? '') + takeaways.join('\n'),
		})
		expect(problems).toEqual([])
		expect(Object.keys(compiled?.variants ?? {}).sort()).toEqual(['de', 'en'])
		expect(compiled?.variants.de?.title).toBe('Phishing erkennen')
		expect(compiled?.variants.de?.overviewHtml).toBe('<p>Warum Phishing wichtig ist.</p>')
		expect(compiled?.variants.de?.lessons.map((item) => item.slug)).toEqual(['spot-the-signs', 'check-yourself'])
		expect(compiled?.variants.de?.lessons[0]?.html).toContain('<h2>Das Wichtigste</h2>')
		expect(compiled?.variants.en.lessons[0]?.html).toContain('<h2>Key takeaways</h2>')
		expect(compiled?.variants.de?.lessons[1]?.htmlAfterQuiz).toContain('Nach dem Quiz.')
		// Facts come from the English course.mdx only.
		expect(compiled?.facts.languages).toEqual(['en', 'de'])
	})

	test('renders the course components to static HTML', async () => {
		const { compiled, problems } = await compile({
			'01-spot-the-signs.mdx': lesson(
				'<Callout type="warning" title="Careful">',
				'Hover first.',
				'</Callout>',
				'',
				'<Scenario title="The odd call">',
				'Someone calls.',
				'',
				'<Choice label="Hang up and call back" best>Right.</Choice>',
				'',
				'<Choice label="Read out the code">Never.</Choice>',
				'</Scenario>',
				'',
				'<EmailMock from={<Flag note="look-alike domain">it@examp1e.com</Flag>} subject="Reset now" verdict="phishing">',
				'Click today.',
				'</EmailMock>',
				'',
				'| Sign | Meaning |',
				'| ---- | ------- |',
				'| Urgency | Pressure |',
			),
		})
		expect(problems).toEqual([])
		const html = compiled?.variants.en.lessons[0]?.html ?? ''
		expect(html).toContain('<aside class="callout callout-warning"><p class="callout-title">Careful</p>')
		expect(html).toContain('<section class="scenario">')
		expect(html).toContain('Hang up and call back')
		expect(html).toContain('<section class="email-mock">')
		expect(html).toContain('<mark class="email-flag">it@examp1e.com<span class="email-flag-note"> (look-alike domain)</span></mark>')
		expect(html).toContain('<table>')
	})
})

describe('MDX problems', () => {
	test('a syntax error names the file and the line', async () => {
		const { problems, file } = await problemsOf({ '01-spot-the-signs.mdx': lesson('Look at the sender.', '', 'A {broken expression.') })
		expect(problems).toEqual([{ file: file('01-spot-the-signs.mdx'), line: 7, message: expect.stringMatching(/^MDX: .*expected a corresponding closing brace/s) }])
	})

	test('a line number counts the frontmatter, so it is the line in the file', async () => {
		const quiz = edit(QUIZ_MDX, 'After the quiz.', 'After the quiz {oops.')
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': quiz })
		expect(problems).toEqual([{ file: file('02-check-yourself.mdx'), line: 34, message: expect.stringMatching(/^MDX: /) }])
	})

	test('an unclosed component names the file, the line and the component, on one line', async () => {
		const { problems, file } = await problemsOf({ '01-spot-the-signs.mdx': lesson('Text.', '', '<Callout type="tip">', 'Never closed.') })
		expect(problems).toEqual([{ file: file('01-spot-the-signs.mdx'), line: 7, message: 'MDX: Expected a closing tag for `<Callout>` (7:1-7:21)' }])
	})

	test('<Quiz /> missing while the lesson defines a quiz', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': edit(QUIZ_MDX, '<Quiz />\n', '') })
		expect(problems).toEqual([{ file: file('02-check-yourself.mdx'), field: 'quiz', message: 'the lesson defines a quiz: put <Quiz /> where it should appear' }])
	})

	test('<Quiz /> in a lesson without a quiz', async () => {
		const { problems, file } = await problemsOf({ '01-spot-the-signs.mdx': lesson('Text.', '', '<Quiz />') })
		expect(problems).toEqual([{ file: file('01-spot-the-signs.mdx'), line: 7, message: '<Quiz /> needs questions: add quiz: to the frontmatter' }])
	})

	test('<Quiz /> nested inside a Callout', async () => {
		const quiz = edit(QUIZ_MDX, '<Quiz />\n', '<Callout>\n\n<Quiz />\n\n</Callout>\n')
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': quiz })
		expect(problems).toEqual([
			{ file: file('02-check-yourself.mdx'), line: 34, message: '<Quiz /> must stand on its own line at the top level of the lesson, not inside other elements' },
		])
	})

	test('<Quiz /> inside a paragraph', async () => {
		const quiz = edit(QUIZ_MDX, '<Quiz />\n', 'Now the quiz: <Quiz />\n')
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': quiz })
		expect(problems).toEqual([
			{ file: file('02-check-yourself.mdx'), line: 32, message: '<Quiz /> must stand on its own line at the top level of the lesson, not inside other elements' },
		])
	})

	test('two <Quiz /> in one lesson', async () => {
		const { problems, file } = await problemsOf({ '02-check-yourself.mdx': `${QUIZ_MDX}\n<Quiz />\n` })
		expect(problems).toEqual([{ file: file('02-check-yourself.mdx'), line: 36, message: 'a lesson has at most one <Quiz />' }])
	})

	test('<Quiz /> in course.mdx', async () => {
		const { problems, file } = await problemsOf({ 'course.mdx': `${COURSE_MDX}\n<Quiz />\n` })
		expect(problems).toEqual([{ file: file('course.mdx'), line: 14, message: '<Quiz /> belongs in a lesson, not in course.mdx' }])
	})

	test('a Callout inline in a paragraph', async () => {
		const { problems, file } = await problemsOf({ '01-spot-the-signs.mdx': lesson('Look at the sender.', 'Then <Callout>hover</Callout> over links.') })
		expect(problems).toEqual([{ file: file('01-spot-the-signs.mdx'), line: 6, message: '<Callout> must start on its own line, with a blank line before it' }])
	})

	test('a Choice inline in a paragraph', async () => {
		const { problems, file } = await problemsOf({
			'01-spot-the-signs.mdx': lesson('<Scenario title="The odd call">', 'Someone calls. <Choice label="Hang up" best>Right.</Choice>', '', '<Choice label="Talk">No.</Choice>', '</Scenario>'),
		})
		expect(problems).toEqual([{ file: file('01-spot-the-signs.mdx'), line: 6, message: '<Choice> must start on its own line, with a blank line before it' }])
	})

	test('a Scenario without a best choice fails at render time, naming the file', async () => {
		const { problems, file } = await problemsOf({
			'01-spot-the-signs.mdx': lesson('<Scenario title="The odd call">', 'Someone calls.', '', '<Choice label="Hang up">Right.</Choice>', '', '<Choice label="Talk">No.</Choice>', '</Scenario>'),
		})
		expect(problems).toEqual([{ file: file('01-spot-the-signs.mdx'), message: '<Scenario title="The odd call">: mark the best <Choice> with best' }])
	})

	test('a Scenario with a single choice', async () => {
		const { problems, file } = await problemsOf({
			'01-spot-the-signs.mdx': lesson('<Scenario title="The odd call">', 'Someone calls.', '', '<Choice label="Hang up" best>Right.</Choice>', '</Scenario>'),
		})
		expect(problems).toEqual([{ file: file('01-spot-the-signs.mdx'), message: '<Scenario title="The odd call"> needs at least two <Choice> elements' }])
	})

	test('a Choice outside a Scenario', async () => {
		const { problems, file } = await problemsOf({ '01-spot-the-signs.mdx': lesson('<Choice label="Hang up" best>Right.</Choice>') })
		expect(problems).toEqual([{ file: file('01-spot-the-signs.mdx'), message: '<Choice> belongs inside a <Scenario>' }])
	})

	test('a Callout of an unknown type', async () => {
		const { problems, file } = await problemsOf({ '01-spot-the-signs.mdx': lesson('<Callout type="danger">', 'Careful.', '</Callout>') })
		expect(problems).toEqual([{ file: file('01-spot-the-signs.mdx'), message: '<Callout type="danger">: type must be one of info, tip, warning' }])
	})

	test('an EmailMock with an unknown verdict', async () => {
		const { problems, file } = await problemsOf({ '01-spot-the-signs.mdx': lesson('<EmailMock from="a@example.com" subject="Hi" verdict="spam">', 'Hello.', '</EmailMock>') })
		expect(problems).toEqual([{ file: file('01-spot-the-signs.mdx'), message: '<EmailMock verdict="spam">: verdict must be "phishing" or "genuine"' }])
	})

	test('an unknown component', async () => {
		const { problems, file } = await problemsOf({ '01-spot-the-signs.mdx': lesson('<Warning>', 'Careful.', '</Warning>') })
		expect(problems).toEqual([{ file: file('01-spot-the-signs.mdx'), message: expect.stringContaining('Expected component `Warning` to be defined') }])
	})

	test('a problem in a translation names the translated file', async () => {
		const { problems, file } = await problemsOf({ ...GERMAN_TRANSLATION, 'de/01-spot-the-signs.mdx': lesson('Text.', '', '<Quiz />') })
		expect(problems).toEqual([{ file: file('de', '01-spot-the-signs.mdx'), line: 7, message: '<Quiz /> needs questions: add quiz: to the frontmatter' }])
	})

	test('every broken lesson is reported, not only the first', async () => {
		const { problems, file } = await problemsOf({
			'01-spot-the-signs.mdx': lesson('Text.', '', '<Quiz />'),
			'02-check-yourself.mdx': edit(QUIZ_MDX, '<Quiz />\n', ''),
		})
		expect(problems.map((problem) => problem.file)).toEqual([file('01-spot-the-signs.mdx'), file('02-check-yourself.mdx')])
	})
})

describe('hashSources', () => {
	test('is the same for the same contents and changes with any of them', () => {
		expect(hashSources(['a', 'b'])).toBe(hashSources(['a', 'b']))
		expect(hashSources(['a', 'b'])).toMatch(/^[0-9a-f]{64}$/)
		expect(hashSources(['a', 'b'])).not.toBe(hashSources(['a', 'c']))
		expect(hashSources(['a', 'b'])).not.toBe(hashSources(['b', 'a']))
	})

	test('keeps the boundaries between contents', () => {
		expect(hashSources(['ab', 'c'])).not.toBe(hashSources(['a', 'bc']))
	})
})
