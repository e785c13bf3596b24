import { createHash } from 'node:crypto'
import { renderToStaticMarkup } from 'react-dom/server'
import { type AnswerKeys, keepAnswerKeys } from './answer-keys.server.ts'
import type { Quiz } from './course-schema.ts'
import type { CourseFacts, CourseProblem, CourseSource, CourseVariantSource, LessonSource } from './course-source.server.ts'
import { LessonLanguage, mdxComponents, QUIZ_SLOT_HTML } from './mdx-components.tsx'

/**
 * What a page outside the lesson itself may show of a lesson: a link and its title. Loaders that
 * list or point to lessons (catalogue, dashboard, course overview) send this, never the lesson.
 */
export type LessonSummary = { slug: string; title: string }

export function summariseLesson(lesson: CompiledLesson | undefined): LessonSummary | null {
	return lesson ? { slug: lesson.slug, title: lesson.title } : null
}

/**
 * A lesson as compiled: its HTML (for its own page, to a learner who may take the course), and
 * whether it has a quiz. The quiz and its answer key are kept apart, in answer-keys.server.ts.
 */
export type CompiledLesson = {
	slug: string
	position: number
	title: string
	/** Static HTML before and after the quiz; a lesson without a quiz has only `html`. */
	html: string
	htmlAfterQuiz?: string
	hasQuiz: boolean
}

export type CompiledVariant = {
	language: CourseVariantSource['language']
	title: string
	summary: string
	overviewHtml: string
	lessons: CompiledLesson[]
}

export type CompiledCourse = {
	slug: string
	facts: CourseFacts
	variants: Partial<Record<CompiledVariant['language'], CompiledVariant>> & { en: CompiledVariant }
}

type MdxNode = {
	type: string
	name?: string | null
	position?: { start: { line: number } }
	children?: MdxNode[]
}

type Placement = { line: number; topLevel: boolean }
type Findings = { quizSlots: Placement[]; inlineBlocks: { name: string; line: number }[] }

/** Components that render blocks (sections, asides): inside a paragraph they would make invalid HTML. */
const BLOCK_COMPONENTS = new Set(['Callout', 'KeyTakeaways', 'Scenario', 'Choice', 'EmailMock'])

/**
 * Notes where `<Quiz />` stands (only at the top level can the page split the HTML around it)
 * and every block component that MDX parsed as inline text because it does not start a line.
 */
function inspectTree(findings: Findings) {
	return () => (tree: MdxNode) => {
		const visit = (node: MdxNode, depth: number) => {
			const line = node.position?.start.line ?? 1
			if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name === 'Quiz') {
				findings.quizSlots.push({ line, topLevel: depth === 1 && node.type === 'mdxJsxFlowElement' })
			}
			if (node.type === 'mdxJsxTextElement' && node.name && BLOCK_COMPONENTS.has(node.name)) findings.inlineBlocks.push({ name: node.name, line })
			for (const child of node.children ?? []) visit(child, depth + 1)
		}
		visit(tree, 0)
	}
}

type EsbuildFailure = { errors?: { text: string; location?: { line: number } | null }[] }

/**
 * One line for an MDX error. @mdx-js/esbuild wraps some messages ("Cannot process MDX file with
 * esbuild:\n  1:1: Expected a closing tag for `<Callout>` (7:1-7:21)") and then reports line 0;
 * the real position is the one in the message.
 */
function describeMdxError({ text, location }: { text: string; location?: { line: number } | null }) {
	const lastLine = text.trim().split('\n').pop()?.trim() ?? text
	const message = lastLine.replace(/^\d+:\d+(-\d+:\d+)?:\s*/, '')
	const quotedPosition = /\((\d+):\d+(?:-\d+:\d+)?\)/.exec(message)
	const line = location?.line || (quotedPosition ? Number(quotedPosition[1]) : undefined)
	return { line, message: `MDX: ${message}` }
}

async function compileMdxToHtml(
	file: string,
	body: string,
	language: CompiledVariant['language'],
	problems: CourseProblem[],
) {
	const [{ bundleMDX }, { default: remarkGfm }] = await Promise.all([import('mdx-bundler'), import('remark-gfm')])
	const { getMDXComponent } = await import('mdx-bundler/client/index.js')
	const findings: Findings = { quizSlots: [], inlineBlocks: [] }
	let code: string
	try {
		const result = await bundleMDX({
			source: body,
			// Problems are reported as file:line, not as esbuild's own console output.
			esbuildOptions(options) {
				options.logLevel = 'silent'
				return options
			},
			mdxOptions(options) {
				// GitHub-flavoured Markdown: tables, strikethrough, autolinks, task lists.
				options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm, inspectTree(findings)]
				return options
			},
		})
		code = result.code
	} catch (error) {
		const failure = error as EsbuildFailure
		const errors = failure.errors?.length ? failure.errors : [{ text: error instanceof Error ? error.message : String(error), location: null }]
		for (const item of errors) problems.push({ file, ...describeMdxError(item) })
		return null
	}
	for (const { name, line } of findings.inlineBlocks) {
		problems.push({ file, line, message: `<${name}> must start on its own line, with a blank line before it` })
	}
	if (findings.inlineBlocks.length > 0) return null
	let html: string
	try {
		const Lesson = getMDXComponent(code)
		html = renderToStaticMarkup(
			<LessonLanguage.Provider value={language}>
				<Lesson components={mdxComponents} />
			</LessonLanguage.Provider>,
		)
	} catch (error) {
		problems.push({ file, message: error instanceof Error ? error.message.split('\n')[0] ?? 'could not render' : String(error) })
		return null
	}
	return { html, quizSlots: findings.quizSlots }
}

async function compileLesson(lesson: LessonSource, language: CompiledVariant['language'], problems: CourseProblem[]): Promise<{ lesson: CompiledLesson; quiz?: Quiz } | null> {
	const compiled = await compileMdxToHtml(lesson.file, lesson.body, language, problems)
	if (!compiled) return null
	const { html, quizSlots } = compiled
	const before = problems.length
	for (const slot of quizSlots.filter((item) => !item.topLevel)) {
		problems.push({ file: lesson.file, line: slot.line, message: '<Quiz /> must stand on its own line at the top level of the lesson, not inside other elements' })
	}
	if (quizSlots.length > 1) {
		problems.push({ file: lesson.file, line: quizSlots[1]?.line, message: 'a lesson has at most one <Quiz />' })
	}
	if (lesson.quiz && quizSlots.length === 0) {
		problems.push({ file: lesson.file, field: 'quiz', message: 'the lesson defines a quiz: put <Quiz /> where it should appear' })
	}
	if (!lesson.quiz && quizSlots.length > 0) {
		problems.push({ file: lesson.file, line: quizSlots[0]?.line, message: '<Quiz /> needs questions: add quiz: to the frontmatter' })
	}
	if (problems.length > before) return null
	const [beforeQuiz = '', afterQuiz] = html.split(QUIZ_SLOT_HTML)
	const compiledLesson: CompiledLesson = { slug: lesson.slug, position: lesson.position, title: lesson.title, html: beforeQuiz, hasQuiz: Boolean(lesson.quiz) }
	if (!lesson.quiz) return { lesson: compiledLesson }
	return { lesson: { ...compiledLesson, htmlAfterQuiz: afterQuiz ?? '' }, quiz: lesson.quiz }
}

async function compileVariant(variant: CourseVariantSource, problems: CourseProblem[]): Promise<{ variant: CompiledVariant; quizzes: Record<string, Quiz> } | null> {
	const before = problems.length
	const overview = await compileMdxToHtml(variant.file, variant.body, variant.language, problems)
	if (overview && overview.quizSlots.length > 0) {
		problems.push({ file: variant.file, line: overview.quizSlots[0]?.line, message: '<Quiz /> belongs in a lesson, not in course.mdx' })
	}
	const lessons: CompiledLesson[] = []
	const quizzes: Record<string, Quiz> = {}
	for (const lesson of variant.lessons) {
		const compiled = await compileLesson(lesson, variant.language, problems)
		if (!compiled) continue
		lessons.push(compiled.lesson)
		if (compiled.quiz) quizzes[lesson.slug] = compiled.quiz
	}
	if (problems.length > before || !overview) return null
	return { variant: { language: variant.language, title: variant.title, summary: variant.summary, overviewHtml: overview.html, lessons }, quizzes }
}

/**
 * Compiles every language of a course to static HTML; null (and problems) when anything is wrong.
 * Its quizzes are kept apart, for the grading code (answer-keys.server.ts).
 */
export async function compileCourse(source: CourseSource, problems: CourseProblem[]): Promise<CompiledCourse | null> {
	const before = problems.length
	const variants: Partial<Record<CompiledVariant['language'], CompiledVariant>> = {}
	const answerKeys: AnswerKeys = {}
	for (const variant of Object.values(source.variants)) {
		const compiled = await compileVariant(variant, problems)
		if (!compiled) continue
		variants[variant.language] = compiled.variant
		answerKeys[variant.language] = compiled.quizzes
	}
	if (problems.length > before || !variants.en) return null
	return keepAnswerKeys({ slug: source.slug, facts: source.facts, variants: { ...variants, en: variants.en } }, answerKeys)
}

/** Identifies a course's sources, so development recompiles a course once per change. */
export function hashSources(contents: string[]) {
	const hash = createHash('sha256')
	for (const content of contents) hash.update(content).update('\0')
	return hash.digest('hex')
}
