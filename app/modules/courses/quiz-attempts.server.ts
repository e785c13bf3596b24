import { createHash, randomBytes, randomInt } from 'node:crypto'
import type { SubmissionResult } from '@conform-to/react'
import { parseSubmission } from '#app/utils/form-submission.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { quizOf } from './answer-keys.server.ts'
import type { CompiledCourse, CompiledLesson } from './compile-course.server.tsx'
import type { Language, Quiz } from './course-schema.ts'
import { markLessonDone } from './progress.server.ts'
import { ATTEMPT_ID_PATTERN, gradeQuiz, optionsOf, type QuizPresentation, quizSubmissionSchema, resolveChosenOptions, toPublicQuestions } from './quiz.ts'

function fingerprintOf(quiz: Quiz) {
	return createHash('sha256').update(JSON.stringify(quiz)).digest('hex')
}

/** An open attempt built for other questions: the course changed since it was shown. */
function isOutdated(course: CompiledCourse, lessonSlug: string, attempt: Pick<FoundAttempt, 'courseVersion' | 'quizFingerprint' | 'language'>) {
	const quiz = quizOf(course, lessonSlug, attempt.language)
	return !quiz || attempt.courseVersion !== course.facts.version || attempt.quizFingerprint !== fingerprintOf(quiz)
}

function shuffled<T>(items: T[]) {
	const copy = [...items]
	for (let index = copy.length - 1; index > 0; index--) {
		const other = randomInt(index + 1)
		;[copy[index], copy[other]] = [copy[other] as T, copy[index] as T]
	}
	return copy
}

/** Fresh opaque ids for every option, in a new random order (true/false keeps True before False). */
function presentQuiz(quiz: Quiz, language: Language): QuizPresentation {
	return Object.fromEntries(
		quiz.questions.map((question) => {
			const positions = optionsOf(question, language).map((_, index) => index)
			const order = question.type === 'true-false' ? positions : shuffled(positions)
			return [question.id, order.map((option) => ({ id: randomBytes(6).toString('hex'), option }))]
		}),
	)
}

/**
 * The learner's open attempt at this quiz, or a new one. Reusing the open attempt keeps the
 * option order stable across reloads and stops a reload loop from piling up attempts.
 */
export async function openAttempt(userId: string, course: CompiledCourse, lesson: CompiledLesson, language: Language) {
	const quiz = quizOf(course, lesson.slug, language)
	if (!quiz) throw new Error(`${course.slug}/${lesson.slug} has no quiz`)
	const key = {
		userId,
		courseSlug: course.slug,
		lessonSlug: lesson.slug,
		status: 'STARTED' as const,
		courseVersion: course.facts.version,
		quizFingerprint: fingerprintOf(quiz),
		language,
	}
	const open = await prisma.quizAttempt.findFirst({ where: key, orderBy: { startedAt: 'desc' }, select: { id: true, presentation: true } })
	const attempt =
		open ??
		(await prisma.quizAttempt.create({
			data: { ...key, presentation: presentQuiz(quiz, language), questionCount: quiz.questions.length },
			select: { id: true, presentation: true },
		}))
	return { attemptId: attempt.id, questions: toPublicQuestions(quiz, attempt.presentation as QuizPresentation, language) }
}

/**
 * What the quiz section of a lesson page shows: the result of the submitted attempt the URL names
 * (`?attempt=`), or else the learner's open attempt to answer.
 */
export async function loadQuizState(userId: string, course: CompiledCourse, lesson: CompiledLesson, language: Language, shownAttemptId: string | null) {
	const shown = await findAttempt(userId, course.slug, lesson.slug, shownAttemptId)
	const result = shown ? describeResult(course, lesson.slug, shown) : null
	return { result, quiz: result ? null : await openAttempt(userId, course, lesson, language) }
}

/**
 * The attempt a form or URL names, with what the browser was shown; null if the id is malformed
 * or the attempt is not this learner's at this quiz.
 */
export async function findAttempt(userId: string, courseSlug: string, lessonSlug: string, attemptId: unknown) {
	if (typeof attemptId !== 'string' || !ATTEMPT_ID_PATTERN.test(attemptId)) return null
	const attempt = await prisma.quizAttempt.findFirst({
		where: { id: attemptId, userId, courseSlug, lessonSlug },
		select: {
			id: true,
			status: true,
			courseVersion: true,
			quizFingerprint: true,
			language: true,
			presentation: true,
			answers: true,
			score: true,
			passed: true,
			correctCount: true,
			questionCount: true,
			submittedAt: true,
		},
	})
	return attempt ? { ...attempt, presentation: attempt.presentation as QuizPresentation } : null
}
export type FoundAttempt = NonNullable<Awaited<ReturnType<typeof findAttempt>>>

export type SubmitResult =
	| { status: 'graded'; attemptId: string; completion: { certificateCode: string } | null }
	| { status: 'already-submitted'; attemptId: string }
	| { status: 'unknown-attempt' }
	| { status: 'outdated' }
	| { status: 'invalid'; reply: SubmissionResult<string[]> }

type Learner = { id: string; name: string }

/**
 * Checks and grades a submitted quiz form. The attempt must be this learner's for this quiz and
 * built for the quiz as it is now; the answers are validated with the schema the form used.
 */
export async function submitQuizForm(learner: Learner, course: CompiledCourse, lessonSlug: string, formData: FormData): Promise<SubmitResult> {
	const attempt = await findAttempt(learner.id, course.slug, lessonSlug, formData.get('attemptId'))
	if (!attempt) return { status: 'unknown-attempt' }
	if (attempt.status === 'SUBMITTED') return { status: 'already-submitted', attemptId: attempt.id }
	// Before validating: a form built for other questions cannot be answered, only replaced.
	const quiz = quizOf(course, lessonSlug, attempt.language)
	if (!quiz || isOutdated(course, lessonSlug, attempt)) return { status: 'outdated' }
	const submission = parseSubmission(formData, quizSubmissionSchema(toPublicQuestions(quiz, attempt.presentation, attempt.language)))
	if (submission.status !== 'success') return { status: 'invalid', reply: submission.reply() }
	return gradeAttempt(learner, course, lessonSlug, quiz, attempt, submission.value.answers)
}

/**
 * Grades an attempt once. The STARTED → SUBMITTED update is conditional, so a double-submitted
 * form (two tabs, a double click, a retried request) records one result and both get it.
 * A pass finishes the lesson, and maybe the course, in the same transaction.
 */
async function gradeAttempt(learner: Learner, course: CompiledCourse, lessonSlug: string, quiz: Quiz, attempt: FoundAttempt, answers: Record<string, string[]>): Promise<SubmitResult> {
	const language = attempt.language
	const chosen = resolveChosenOptions(attempt.presentation, answers)
	const grade = gradeQuiz(quiz, chosen, course.facts.passMark, language)
	return prisma.$transaction(async (tx) => {
		const { count } = await tx.quizAttempt.updateMany({
			where: { id: attempt.id, status: 'STARTED' },
			data: {
				status: 'SUBMITTED',
				submittedAt: new Date(),
				answers: chosen,
				correctCount: grade.correctCount,
				score: grade.score,
				passed: grade.passed,
			},
		})
		if (count === 0) return { status: 'already-submitted' as const, attemptId: attempt.id }
		const step = grade.passed ? await markLessonDone(learner, course, lessonSlug, language, tx) : null
		return { status: 'graded' as const, attemptId: attempt.id, completion: step?.completion ?? null }
	})
}

/**
 * A submitted attempt as the learner sees it afterwards: their choices, which questions they got
 * right, and every explanation. Correct options are not marked, so a retake still takes thought.
 */
export function describeResult(course: CompiledCourse, lessonSlug: string, attempt: FoundAttempt) {
	if (attempt.status !== 'SUBMITTED') return null
	const summary = {
		attemptId: attempt.id,
		score: attempt.score ?? 0,
		passed: attempt.passed ?? false,
		correctCount: attempt.correctCount ?? 0,
		questionCount: attempt.questionCount,
		submittedAt: attempt.submittedAt,
	}
	const quiz = quizOf(course, lessonSlug, attempt.language)
	// Question by question only against the quiz it was taken on; the score stands either way.
	if (!quiz || isOutdated(course, lessonSlug, attempt)) return { ...summary, questions: [] }
	const chosen = (attempt.answers ?? {}) as Record<string, number[]>
	const grade = gradeQuiz(quiz, chosen, course.facts.passMark, attempt.language)
	const shown = toPublicQuestions(quiz, attempt.presentation, attempt.language)
	return {
		...summary,
		questions: shown.map((question, index) => {
			const picked = new Set(chosen[question.id] ?? [])
			const presentation = attempt.presentation[question.id] ?? []
			return {
				id: question.id,
				prompt: question.prompt,
				correct: grade.results[index]?.correct ?? false,
				explanation: quiz.questions[index]?.explanation ?? '',
				options: question.options.map((option, position) => ({
					text: option.text,
					chosen: picked.has(presentation[position]?.option ?? -1),
				})),
			}
		}),
	}
}
