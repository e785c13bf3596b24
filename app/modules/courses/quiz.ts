import { z } from 'zod'
import type { Language, Question, Quiz } from './course-schema.ts'

/**
 * What the browser may know of a quiz before the learner submits: prompts and option texts under
 * per-attempt opaque ids, in the attempt's shuffled order. No correct flags, no explanations.
 */
export type PublicQuestion = { id: string; type: Question['type']; prompt: string; options: { id: string; text: string }[] }

/** The option ids one attempt shows, per question id, in display order. */
export type QuizPresentation = Record<string, { id: string; option: number }[]>

const TRUE_FALSE_LABELS: Record<Language, [string, string]> = { en: ['True', 'False'], de: ['Wahr', 'Falsch'] }

/** Every question as a list of options; true/false becomes two options in the quiz's language. */
export function optionsOf(question: Question, language: Language) {
	if (question.type !== 'true-false') return question.options
	const [yes, no] = TRUE_FALSE_LABELS[language]
	return [
		{ text: yes, correct: question.answer },
		{ text: no, correct: !question.answer },
	]
}

/** Positions of the correct options, as the learner sees them listed in the course file. */
export function correctOptionPositions(question: Question, language: Language) {
	return optionsOf(question, language).flatMap((option, index) => (option.correct ? [index] : []))
}

export function toPublicQuestions(quiz: Quiz, presentation: QuizPresentation, language: Language): PublicQuestion[] {
	return quiz.questions.map((question) => {
		const options = optionsOf(question, language)
		return {
			id: question.id,
			type: question.type,
			prompt: question.prompt,
			options: (presentation[question.id] ?? []).map(({ id, option }) => ({ id, text: options[option]?.text ?? '' })),
		}
	})
}

/** Option ids are 12 hex characters from crypto.getRandomValues; anything else is not an option. */
export const OPTION_ID_PATTERN = /^[0-9a-f]{12}$/

/**
 * The quiz form's schema, built from what the browser was shown so Conform can check it there
 * and the action can check it again. `answers.<questionId>` holds the chosen option ids.
 */
export function quizSubmissionSchema(questions: Pick<PublicQuestion, 'id' | 'type' | 'options'>[]) {
	const answers = Object.fromEntries(
		questions.map((question, index) => {
			const optionIds = question.options.map((option) => option.id) as [string, ...string[]]
			const choice = z.enum(optionIds, { errorMap: () => ({ message: 'That answer is not one of the options; reload the quiz' }) })
			const required = `Answer question ${index + 1}`
			const schema =
				question.type === 'multiple'
					? z.array(choice, { required_error: `${required}: choose every option that applies` }).min(1, `${required}: choose every option that applies`)
					: z
							.array(choice, { required_error: required })
							.length(1, `${required} with one option`)
			// A single checked box arrives as a string; Conform and FormData both yield arrays otherwise.
			return [question.id, z.preprocess((value) => (typeof value === 'string' ? [value] : value), schema)]
		}),
	)
	return z.object({
		attemptId: z.string().regex(/^[a-z0-9]{1,64}$/, 'This quiz form is not valid; reload the page'),
		answers: z.object(answers, { required_error: 'Answer every question' }),
	})
}

export type QuestionResult = { questionId: string; correct: boolean; chosen: number[] }
export type Grade = { questionCount: number; correctCount: number; score: number; passed: boolean; results: QuestionResult[] }

/** A question scores when the chosen options are exactly the correct ones; the quiz passes at the pass mark. */
export function gradeQuiz(quiz: Quiz, chosenByQuestion: Record<string, number[]>, passMark: number, language: Language): Grade {
	const results = quiz.questions.map((question) => {
		const correctOptions = correctOptionPositions(question, language)
		const chosen = [...new Set(chosenByQuestion[question.id] ?? [])].sort((a, b) => a - b)
		const correct = chosen.length === correctOptions.length && chosen.every((option, index) => option === correctOptions[index])
		return { questionId: question.id, correct, chosen }
	})
	const correctCount = results.filter((result) => result.correct).length
	const score = Math.floor((correctCount / quiz.questions.length) * 100)
	return { questionCount: quiz.questions.length, correctCount, score, passed: score >= passMark, results }
}

/** Turns the chosen opaque ids back into the options' positions in the course file. */
export function resolveChosenOptions(presentation: QuizPresentation, answers: Record<string, string[]>) {
	return Object.fromEntries(
		Object.entries(presentation).map(([questionId, shown]) => [
			questionId,
			(answers[questionId] ?? []).flatMap((id) => shown.filter((entry) => entry.id === id).map((entry) => entry.option)),
		]),
	)
}
