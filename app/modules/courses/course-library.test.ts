import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { compileCourseLibrary, pickVariant } from './course-library.server.ts'
import { formatProblem } from './course-source.server.ts'
import { COURSE_MDX, edit, ENGLISH_COURSE, GERMAN_TRANSLATION, removeTempCourses, writeTempCourse } from './temp-course.test-helper.ts'

afterEach(removeTempCourses)

const projectDirectory = fileURLToPath(new URL('../../../', import.meta.url))

describe('the content check', () => {
	// What `npm run courses:check` and the build run, over the courses the project ships.
	test('every course in courses/ is valid and compiles', { timeout: 120_000 }, async () => {
		const { courses, problems } = await compileCourseLibrary(path.join(projectDirectory, 'courses'))
		expect(problems.map(formatProblem)).toEqual([])
		const folders = fs.readdirSync(path.join(projectDirectory, 'courses'), { withFileTypes: true }).filter((entry) => entry.isDirectory())
		expect(courses.map((course) => course.slug).sort()).toEqual(folders.map((entry) => entry.name).sort())
		for (const course of courses) {
			expect(course.variants.en.lessons.length).toBeGreaterThan(0)
			expect(course.variants.en.lessons.some((lesson) => lesson.hasQuiz)).toBe(true)
		}
	})

	test('the fixture course the integration tests use is valid', { timeout: 60_000 }, async () => {
		const { courses, problems } = await compileCourseLibrary(path.join(projectDirectory, 'test', 'fixtures', 'courses'))
		expect(problems.map(formatProblem)).toEqual([])
		const folders = fs.readdirSync(path.join(projectDirectory, 'test', 'fixtures', 'courses'), { withFileTypes: true }).filter((entry) => entry.isDirectory())
		expect(courses.map((course) => course.slug).sort()).toEqual(folders.map((entry) => entry.name).sort())
		expect(Object.keys(courses.find((course) => course.slug === 'demo-course')?.variants ?? {}).sort()).toEqual(['de', 'en'])
	})
})

describe('compileCourseLibrary', () => {
	test('leaves a broken course out and compiles the others', async () => {
		const broken = writeTempCourse({ '01-spot-the-signs.mdx': edit(ENGLISH_COURSE['01-spot-the-signs.mdx'] ?? '', 'Look at', 'Look <Callout>here</Callout> at') })
		fs.mkdirSync(path.join(broken.root, 'another-course'))
		for (const [name, content] of Object.entries(ENGLISH_COURSE)) {
			if (content) fs.writeFileSync(path.join(broken.root, 'another-course', name), content)
		}
		const { courses, problems } = await compileCourseLibrary(broken.root)
		expect(courses.map((course) => course.slug)).toEqual(['another-course'])
		expect(problems.map(formatProblem)).toEqual([`${broken.file('01-spot-the-signs.mdx')}:5: <Callout> must start on its own line, with a blank line before it`])
	})

	test('reports frontmatter problems and MDX problems in one run, reading before compiling', async () => {
		const broken = writeTempCourse({ 'course.mdx': edit(COURSE_MDX, 'principles: [6]', 'principles: [11]') })
		const other = writeTempCourse({ '01-spot-the-signs.mdx': edit(ENGLISH_COURSE['01-spot-the-signs.mdx'] ?? '', 'Look at', 'Look <Choice label="x">here</Choice> at') })
		fs.renameSync(path.join(other.root, 'spotting-phishing'), path.join(broken.root, 'other-course'))
		const { courses, problems } = await compileCourseLibrary(broken.root)
		expect(courses).toEqual([])
		expect(problems.map(formatProblem)).toEqual([
			`${broken.file('course.mdx')}:9: principles[0]: Charter of Trust principles are numbered 1 to 10`,
			`${path.relative(process.cwd(), path.join(broken.root, 'other-course', '01-spot-the-signs.mdx'))}:5: <Choice> must start on its own line, with a blank line before it`,
		])
	})
})

describe('pickVariant', () => {
	test('gives the learner’s language when the course has it, English otherwise', async () => {
		const german = writeTempCourse(GERMAN_TRANSLATION)
		const english = writeTempCourse()
		fs.renameSync(path.join(english.root, 'spotting-phishing'), path.join(german.root, 'english-only'))
		const { courses, problems } = await compileCourseLibrary(german.root)
		expect(problems).toEqual([])
		const [englishOnly, translated] = courses
		expect(englishOnly?.slug).toBe('english-only')
		expect(translated?.slug).toBe('spotting-phishing')
		if (!englishOnly || !translated) throw new Error('both courses compile')
		expect(pickVariant(translated, 'de').title).toBe('Phishing erkennen')
		expect(pickVariant(translated, 'en').title).toBe('Spotting phishing')
		expect(pickVariant(englishOnly, 'de').title).toBe('Spotting phishing')
		expect(pickVariant(englishOnly, 'de').language).toBe('en')
	})
})
