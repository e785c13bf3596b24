import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isSeq, LineCounter, parseDocument, parse as parseYaml, type Node as YamlNode } from 'yaml'
import { z } from 'zod'
import {
	COURSE_SLUG_PATTERN,
	type CourseFrontmatter,
	CourseFrontmatterSchema,
	DEFAULT_LANGUAGE,
	LANGUAGES,
	type Language,
	LESSON_FILE_PATTERN,
	LessonFrontmatterSchema,
	type Quiz,
	TranslatedCourseFrontmatterSchema,
} from './course-schema.ts'

/** The library's own rules live next to its course folders. */
export const LIBRARY_FILE = 'library.yml'

/** One thing wrong with a course, precise enough for an author to fix it without guessing. */
export type CourseProblem = { file: string; line?: number; field?: string; message: string }

export function formatProblem(problem: CourseProblem) {
	const where = problem.line ? `${problem.file}:${problem.line}` : problem.file
	return `${where}: ${problem.field ? `${problem.field}: ` : ''}${problem.message}`
}

export type LessonSource = {
	file: string
	slug: string
	position: number
	title: string
	quiz?: Quiz
	/** The MDX body with the frontmatter blanked out, so MDX error lines are the file's lines. */
	body: string
}

export type CourseVariantSource = {
	language: Language
	file: string
	title: string
	summary: string
	body: string
	lessons: LessonSource[]
}

export type CourseFacts = Omit<CourseFrontmatter, 'title' | 'summary'>

export type CourseSource = {
	slug: string
	directory: string
	facts: CourseFacts
	variants: Partial<Record<Language, CourseVariantSource>> & { en: CourseVariantSource }
}

type ParsedFile<T> = { ok: true; data: T; body: string } | { ok: false }

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

/**
 * Splits and validates a file's YAML frontmatter. Problems carry the line of the offending
 * field, found by walking the YAML document along the Zod issue's path.
 */
function parseFrontmatter<Schema extends z.ZodTypeAny>(
	file: string,
	source: string,
	schema: Schema,
	problems: CourseProblem[],
): ParsedFile<z.output<Schema>> {
	const match = FRONTMATTER.exec(source)
	if (!match) {
		problems.push({ file, line: 1, message: 'the file must start with frontmatter between two "---" lines' })
		return { ok: false }
	}
	const yamlText = match[1] ?? ''
	const lineCounter = new LineCounter()
	const document = parseDocument(yamlText, { lineCounter, prettyErrors: false })
	// The YAML starts on the file's second line, after the opening "---".
	const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1
	if (document.errors.length > 0) {
		for (const error of document.errors) {
			problems.push({ file, line: fileLine(error.pos[0]), message: `invalid YAML: ${error.message.split('\n')[0]}` })
		}
		return { ok: false }
	}
	const parsed = schema.safeParse(document.toJS() ?? {})
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			// Zod reports unknown keys against their object: point at each key instead.
			const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path]
			for (const issuePath of paths) {
				problems.push({
					file,
					line: lineOfPath(document.contents, issuePath, fileLine),
					field: issuePath.length > 0 ? formatPath(issuePath) : undefined,
					message: issue.code === 'unrecognized_keys' ? 'unknown field: check its spelling against courses/README.md' : issue.message,
				})
			}
		}
		return { ok: false }
	}
	// Blank the frontmatter instead of cutting it: MDX then reports the file's own line numbers,
	// and the compiled lesson never contains the frontmatter (where quiz answers live).
	const body = '\n'.repeat(match[0].split('\n').length - 1) + source.slice(match[0].length)
	return { ok: true, data: parsed.data, body }
}

function formatPath(issuePath: (string | number)[]) {
	return issuePath.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '')
}

/** The line of the deepest YAML node that exists along `issuePath` (a missing key points at its parent). */
function lineOfPath(root: YamlNode | null | undefined, issuePath: (string | number)[], fileLine: (offset: number) => number) {
	let node = root
	let line = node?.range ? fileLine(node.range[0]) : 1
	for (const key of issuePath) {
		if (isMap(node)) {
			const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key)
			if (!pair) break
			const keyNode = pair.key as YamlNode | null
			if (keyNode?.range) line = fileLine(keyNode.range[0])
			node = pair.value as YamlNode | null
		} else if (isSeq(node) && typeof key === 'number') {
			const item = node.items[key] as YamlNode | undefined
			if (!item) break
			if (item.range) line = fileLine(item.range[0])
			node = item
		} else break
	}
	return line
}

async function isDirectory(target: string) {
	try {
		return (await stat(target)).isDirectory()
	} catch {
		return false
	}
}

/** The lessons that parsed, and the names of every lesson file (broken ones included, so one error is reported once). */
async function readLessons(directory: string, relative: (file: string) => string, problems: CourseProblem[]) {
	const entries = await readdir(directory, { withFileTypes: true })
	const lessons: LessonSource[] = []
	const fileNames: string[] = []
	let words = 0
	for (const entry of entries.filter((item) => item.isFile()).sort((a, b) => a.name.localeCompare(b.name))) {
		if (entry.name === 'course.mdx' || !entry.name.endsWith('.mdx')) continue
		const file = relative(path.join(directory, entry.name))
		const match = LESSON_FILE_PATTERN.exec(entry.name)
		if (!match) {
			problems.push({ file, message: 'lesson files are named NN-lesson-slug.mdx, like "01-spotting-the-signs.mdx"' })
			continue
		}
		fileNames.push(entry.name)
		const position = Number(match[1])
		const slug = match[2] ?? ''
		const clash = lessons.find((lesson) => lesson.position === position || lesson.slug === slug)
		if (clash) {
			problems.push({ file, message: `clashes with ${clash.file}: lesson numbers and slugs must be unique` })
			continue
		}
		const source = await readFile(path.join(directory, entry.name), 'utf8')
		words += countWords(source)
		const parsed = parseFrontmatter(file, source, LessonFrontmatterSchema, problems)
		if (!parsed.ok) continue
		lessons.push({ file, slug, position, title: parsed.data.title, quiz: parsed.data.quiz, body: parsed.body })
	}
	return { lessons, fileNames, words }
}

const countWords = (text: string) => text.split(/\s+/).filter(Boolean).length

/**
 * The library's own rules, from `library.yml` in the courses directory (courses/README.md):
 * the languages every free course is offered in, and the reading pace estimatedMinutes is held to.
 * A directory without the file (a test's) has neither rule.
 */
const LibraryRulesSchema = z
	.object({
		freeCourseLanguages: z.array(z.enum(LANGUAGES)).default([DEFAULT_LANGUAGE]),
		wordsPerMinute: z.number().int().positive().optional(),
	})
	.strict()
type LibraryRules = z.infer<typeof LibraryRulesSchema>

async function readLibraryRules(coursesDirectory: string, problems: CourseProblem[]): Promise<LibraryRules> {
	const file = path.join(coursesDirectory, LIBRARY_FILE)
	let source: string
	try {
		source = await readFile(file, 'utf8')
	} catch {
		return LibraryRulesSchema.parse({})
	}
	const parsed = LibraryRulesSchema.safeParse(parseYaml(source))
	if (parsed.success) return parsed.data
	for (const issue of parsed.error.issues) problems.push({ file: path.relative(process.cwd(), file), field: issue.path.join('.'), message: issue.message })
	return LibraryRulesSchema.parse({})
}

/** An estimate more than a third (and more than 3 minutes) away from the text's reading time is refused. */
function checkEstimatedMinutes(file: string, estimatedMinutes: number, words: number, wordsPerMinute: number, problems: CourseProblem[]) {
	const expected = words / wordsPerMinute
	if (Math.abs(estimatedMinutes - expected) <= Math.max(3, expected / 3)) return
	problems.push({
		file,
		field: 'estimatedMinutes',
		message: `the lessons have ${words} words, about ${Math.round(expected)} minutes at ${wordsPerMinute} words a minute; estimatedMinutes is ${estimatedMinutes}`,
	})
}

async function readVariant(
	courseDirectory: string,
	language: Language,
	relative: (file: string) => string,
	problems: CourseProblem[],
) {
	const directory = language === DEFAULT_LANGUAGE ? courseDirectory : path.join(courseDirectory, language)
	const courseFile = path.join(directory, 'course.mdx')
	let source: string
	try {
		source = await readFile(courseFile, 'utf8')
	} catch {
		problems.push({ file: relative(courseFile), message: 'missing: every course (and every translation) needs a course.mdx' })
		return null
	}
	const schema = language === DEFAULT_LANGUAGE ? CourseFrontmatterSchema : TranslatedCourseFrontmatterSchema
	const parsed = parseFrontmatter(relative(courseFile), source, schema, problems)
	const { lessons, fileNames, words } = await readLessons(directory, relative, problems)
	if (!parsed.ok) return null
	return { frontmatter: parsed.data, body: parsed.body, file: relative(courseFile), lessons, fileNames, words }
}

/** A translated quiz must grade exactly like the English one: same questions, same answers. */
function compareQuizzes(english: LessonSource, translated: LessonSource, problems: CourseProblem[]) {
	const file = translated.file
	if (!english.quiz || !translated.quiz) {
		if (english.quiz || translated.quiz) {
			problems.push({ file, field: 'quiz', message: `${english.quiz ? 'missing' : 'unexpected'}: the translation must have a quiz exactly when ${english.file} has one` })
		}
		return
	}
	const englishQuestions = english.quiz.questions
	const translatedQuestions = translated.quiz.questions
	if (englishQuestions.map((q) => q.id).join() !== translatedQuestions.map((q) => q.id).join()) {
		problems.push({ file, field: 'quiz.questions', message: `question ids must match ${english.file} in the same order (${englishQuestions.map((q) => q.id).join(', ')})` })
		return
	}
	englishQuestions.forEach((question, index) => {
		const other = translatedQuestions[index]
		const field = `quiz.questions[${index}]`
		if (!other || other.type !== question.type) {
			problems.push({ file, field: `${field}.type`, message: `must be "${question.type}" as in ${english.file}` })
			return
		}
		const answerKey = (q: typeof question) => (q.type === 'true-false' ? String(q.answer) : q.options.map((option) => option.correct).join())
		if (answerKey(question) !== answerKey(other)) {
			problems.push({ file, field, message: `options and correct answers must match ${english.file} (same number, same order, same correct ones)` })
		}
	})
}

async function readCourse(coursesDirectory: string, slug: string, rules: LibraryRules, problems: CourseProblem[]): Promise<CourseSource | null> {
	const directory = path.join(coursesDirectory, slug)
	const relative = (file: string) => path.relative(process.cwd(), file)
	const before = problems.length
	if (!COURSE_SLUG_PATTERN.test(slug)) {
		problems.push({ file: relative(directory), message: 'course folders are named in lower-case kebab-case, like "phishing-basics"' })
		return null
	}
	const english = await readVariant(directory, DEFAULT_LANGUAGE, relative, problems)
	if (!english) return null
	const { title, summary, ...facts } = english.frontmatter as CourseFrontmatter
	if (english.fileNames.length === 0) {
		problems.push({ file: relative(directory), message: 'a course needs at least one lesson (NN-lesson-slug.mdx)' })
	}
	// Only when every lesson read cleanly: a broken quiz lesson is reported once, as itself.
	if (english.lessons.length > 0 && problems.length === before && !english.lessons.some((lesson) => lesson.quiz)) {
		problems.push({ file: relative(directory), message: 'a course needs at least one quiz: add quiz: to a lesson\'s frontmatter' })
	}
	if (facts.free) {
		const missing = rules.freeCourseLanguages.filter((language) => !facts.languages.includes(language))
		if (missing.length) {
			problems.push({
				file: english.file,
				field: 'languages',
				message: `a free course is offered in every language of ${LIBRARY_FILE} (${rules.freeCourseLanguages.join(', ')}): add ${missing.map((language) => `"${language}"`).join(', ')} and the translation`,
			})
		}
	}
	if (rules.wordsPerMinute) checkEstimatedMinutes(english.file, facts.estimatedMinutes, english.words, rules.wordsPerMinute, problems)
	const variants: CourseSource['variants'] = {
		en: { language: 'en', file: english.file, title, summary, body: english.body, lessons: english.lessons },
	}
	const entries = await readdir(directory, { withFileTypes: true })
	for (const entry of entries.filter((item) => item.isDirectory())) {
		if (!(LANGUAGES as readonly string[]).includes(entry.name) || entry.name === DEFAULT_LANGUAGE) {
			problems.push({ file: relative(path.join(directory, entry.name)), message: `unexpected folder: translations live in folders named after a language (${LANGUAGES.filter((l) => l !== DEFAULT_LANGUAGE).join(', ')})` })
		} else if (!facts.languages.includes(entry.name as Language)) {
			problems.push({ file: english.file, field: 'languages', message: `the folder ${entry.name}/ exists, so add "${entry.name}" to languages` })
		}
	}
	for (const language of facts.languages.filter((item) => item !== DEFAULT_LANGUAGE)) {
		if (!(await isDirectory(path.join(directory, language)))) {
			problems.push({ file: english.file, field: 'languages', message: `declares "${language}", but the folder ${language}/ with the translation is missing` })
			continue
		}
		const translated = await readVariant(directory, language, relative, problems)
		if (!translated) continue
		const expected = english.fileNames.join(', ')
		const actual = translated.fileNames.join(', ')
		if (expected !== actual) {
			problems.push({ file: relative(path.join(directory, language)), message: `the translation must have the same lesson files as the English course (${expected}); found: ${actual || 'none'}` })
			continue
		}
		for (const lesson of translated.lessons) {
			const original = english.lessons.find((item) => item.slug === lesson.slug)
			if (original) compareQuizzes(original, lesson, problems)
		}
		variants[language] = { language, file: translated.file, body: translated.body, lessons: translated.lessons, ...translated.frontmatter }
	}
	if (problems.length > before) return null
	return { slug, directory, facts, variants }
}

/** Reads and validates every course folder; compiling the MDX is the next step (compile-course.server.tsx). */
export async function readCourseSources(coursesDirectory: string) {
	const problems: CourseProblem[] = []
	const rules = await readLibraryRules(coursesDirectory, problems)
	const entries = await readdir(coursesDirectory, { withFileTypes: true })
	const courses: CourseSource[] = []
	for (const entry of entries.filter((item) => item.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
		const course = await readCourse(coursesDirectory, entry.name, rules, problems)
		if (course) courses.push(course)
	}
	return { courses, problems }
}
