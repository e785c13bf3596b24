import { z } from 'zod'

/**
 * The shape of a course on disk, validated by `npm run courses:check`, the build and the dev
 * server alike. Authors read these rules in courses/README.md; keep the two in step.
 */

export const LANGUAGES = ['en', 'de'] as const
export type Language = (typeof LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'en'
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch' }

/** A fixed vocabulary keeps the catalogue's topic filter free of near-duplicates. */
export const TOPICS = {
	phishing: 'Phishing & social engineering',
	passwords: 'Passwords & MFA',
	'incident-reporting': 'Incident reporting',
	'small-business': 'Small business',
	'data-protection': 'Data protection',
	'remote-work': 'Remote work',
	malware: 'Malware & ransomware',
	ai: 'AI tools',
	'supply-chain': 'Supply chain',
	'connected-devices': 'Connected devices & OT',
	leadership: 'Leadership',
	'physical-security': 'Physical security',
} as const
export type Topic = keyof typeof TOPICS
const topicSlugs = Object.keys(TOPICS) as [Topic, ...Topic[]]

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const

const SlugSchema = z
	.string()
	.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lower-case letters, digits and single hyphens, like "spotting-phishing"')
	.max(80, 'use at most 80 characters')

const TextSchema = (what: string, max: number) =>
	z
		.string({ required_error: `${what} is required`, invalid_type_error: `${what} must be text` })
		.trim()
		.min(1, `${what} must not be empty`)
		.max(max, `${what} must be at most ${max} characters`)

function unique<T>(values: T[]) {
	return new Set(values).size === values.length
}

/** Frontmatter of `courses/<slug>/course.mdx`, the English (required) variant and the course's facts. */
export const CourseFrontmatterSchema = z
	.object({
		title: TextSchema('title', 120),
		summary: TextSchema('summary', 400),
		version: z
			.string({ required_error: 'version is required, like "1.0.0"', invalid_type_error: 'version must be text in quotes, like "1.0.0"' })
			.regex(/^\d+\.\d+\.\d+$/, 'version must look like "1.0.0" (major.minor.patch)'),
		estimatedMinutes: z
			.number({ required_error: 'estimatedMinutes is required', invalid_type_error: 'estimatedMinutes must be a number' })
			.int('estimatedMinutes must be a whole number')
			.min(1, 'estimatedMinutes must be at least 1')
			.max(240, 'estimatedMinutes must be at most 240'),
		level: z.enum(LEVELS, { errorMap: () => ({ message: `level must be one of: ${LEVELS.join(', ')}` }) }),
		free: z.boolean({ required_error: 'free is required (true or false)', invalid_type_error: 'free must be true or false' }),
		topics: z
			.array(z.enum(topicSlugs, { errorMap: () => ({ message: `unknown topic; use one of: ${topicSlugs.join(', ')}` }) }), {
				required_error: 'topics is required, a list like [phishing]',
				invalid_type_error: 'topics must be a list, like [phishing]',
			})
			.min(1, 'list at least one topic')
			.refine(unique, 'topics must not repeat'),
		principles: z
			.array(
				z
					.number({ invalid_type_error: 'principles are Charter of Trust principle numbers (1–10)' })
					.int('principles are whole numbers')
					.min(1, 'Charter of Trust principles are numbered 1 to 10')
					.max(10, 'Charter of Trust principles are numbered 1 to 10'),
				{
					required_error: 'principles is required: the Charter of Trust principles (1–10) the course serves',
					invalid_type_error: 'principles must be a list of numbers, like [6, 8]',
				},
			)
			.min(1, 'name at least one Charter of Trust principle (1–10)')
			.refine(unique, 'principles must not repeat'),
		validityMonths: z
			.number({ invalid_type_error: 'validityMonths must be a number' })
			.int('validityMonths must be a whole number')
			.min(1, 'validityMonths must be at least 1')
			.max(60, 'validityMonths must be at most 60')
			.default(12),
		passMark: z
			.number({ invalid_type_error: 'passMark must be a number (a percentage)' })
			.int('passMark must be a whole percentage')
			.min(1, 'passMark must be between 1 and 100')
			.max(100, 'passMark must be between 1 and 100')
			.default(80),
		languages: z
			.array(z.enum(LANGUAGES, { errorMap: () => ({ message: `languages must be among: ${LANGUAGES.join(', ')}` }) }), {
				invalid_type_error: 'languages must be a list, like [en, de]',
			})
			.default([DEFAULT_LANGUAGE])
			.refine((languages) => languages.includes(DEFAULT_LANGUAGE), 'languages must include "en": English is required')
			.refine(unique, 'languages must not repeat'),
	})
	.strict()
export type CourseFrontmatter = z.infer<typeof CourseFrontmatterSchema>

/** Frontmatter of `courses/<slug>/<lang>/course.mdx`: a translation only says what differs. */
export const TranslatedCourseFrontmatterSchema = z
	.object({ title: TextSchema('title', 120), summary: TextSchema('summary', 400) })
	.strict()

const OptionSchema = z
	.object({
		text: TextSchema('option text', 300),
		correct: z.boolean({ invalid_type_error: 'correct must be true or false' }).default(false),
	})
	.strict()

const QuestionBase = {
	id: SlugSchema,
	prompt: TextSchema('prompt', 600),
	explanation: TextSchema('explanation (shown after the learner submits)', 1200),
}

export const QuestionSchema = z
	.discriminatedUnion(
		'type',
		[
			z
				.object({
					...QuestionBase,
					type: z.literal('single'),
					options: z.array(OptionSchema).min(2, 'a single-choice question needs at least 2 options').max(8, 'use at most 8 options'),
				})
				.strict(),
			z
				.object({
					...QuestionBase,
					type: z.literal('multiple'),
					options: z.array(OptionSchema).min(3, 'a multiple-choice question needs at least 3 options').max(8, 'use at most 8 options'),
				})
				.strict(),
			z
				.object({
					...QuestionBase,
					type: z.literal('true-false'),
					answer: z.boolean({
						required_error: 'a true-false question needs answer: true or answer: false',
						invalid_type_error: 'answer must be true or false',
					}),
				})
				.strict(),
		],
		{ errorMap: () => ({ message: 'type must be one of: single, multiple, true-false' }) },
	)
	.superRefine((question, ctx) => {
		if (question.type === 'true-false') return
		const correct = question.options.filter((option) => option.correct).length
		if (question.type === 'single' && correct !== 1) {
			ctx.addIssue({ code: 'custom', path: ['options'], message: `a single-choice question needs exactly 1 correct option (found ${correct})` })
		}
		if (question.type === 'multiple' && correct === 0) {
			ctx.addIssue({ code: 'custom', path: ['options'], message: 'a multiple-choice question needs at least 1 correct option' })
		}
		const texts = question.options.map((option) => option.text)
		if (new Set(texts).size !== texts.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'two options have the same text' })
	})
export type Question = z.infer<typeof QuestionSchema>

export const QuizSchema = z
	.object({
		questions: z
			.array(QuestionSchema)
			.min(1, 'a quiz needs at least 1 question')
			.max(30, 'a quiz has at most 30 questions')
			.superRefine((questions, ctx) => {
				const seen = new Set<string>()
				questions.forEach((question, index) => {
					if (seen.has(question.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `question id "${question.id}" is used twice` })
					seen.add(question.id)
				})
			}),
	})
	.strict()
export type Quiz = z.infer<typeof QuizSchema>

export const LessonFrontmatterSchema = z
	.object({
		title: TextSchema('title', 120),
		quiz: QuizSchema.optional(),
	})
	.strict()
export type LessonFrontmatter = z.infer<typeof LessonFrontmatterSchema>

/** `01-spotting-the-signs.mdx` → position 1, slug "spotting-the-signs". */
export const LESSON_FILE_PATTERN = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/
export const COURSE_SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** The Charter of Trust's ten principles, by number, as courses cite them. */
export const CHARTER_PRINCIPLES: Record<number, string> = {
	1: 'Ownership of cyber and IT security',
	2: 'Responsibility throughout the digital supply chain',
	3: 'Security by default',
	4: 'User-centricity',
	5: 'Innovation and co-creation',
	6: 'Education',
	7: 'Certification for critical infrastructure and solutions',
	8: 'Transparency and response',
	9: 'Regulatory framework',
	10: 'Joint initiatives',
}
