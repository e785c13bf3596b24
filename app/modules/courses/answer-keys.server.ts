import { remember } from '#app/utils/remember.server.ts'
import type { CompiledCourse } from './compile-course.server.tsx'
import type { Language, Quiz } from './course-schema.ts'

/** A course's quizzes with their answer keys (correct flags, explanations), by language and lesson slug. */
export type AnswerKeys = Partial<Record<Language, Record<string, Quiz>>>

// Kept beside the compiled courses rather than in them: no course, variant or lesson object a
// loader can reach holds a correct flag or an explanation, so none can be sent to the browser by
// passing an object through. Only the quiz code on the server asks for them, by course. One map
// per process: the server bundle (which reads the library at start-up) and the Remix build each
// carry a copy of this module.
const answerKeys = remember('answer-keys', () => new WeakMap<CompiledCourse, AnswerKeys>())

export function keepAnswerKeys(course: CompiledCourse, keys: AnswerKeys) {
	answerKeys.set(course, keys)
	return course
}

/** Every answer key of a course, for the course manifest `npm run build` writes. */
export function answerKeysOf(course: CompiledCourse): AnswerKeys {
	return answerKeys.get(course) ?? {}
}

/** A lesson's quiz in a language, falling back to English (translations grade identically). */
export function quizOf(course: CompiledCourse, lessonSlug: string, language: Language): Quiz | undefined {
	const keys = answerKeys.get(course)
	return keys?.[language]?.[lessonSlug] ?? keys?.en?.[lessonSlug]
}
