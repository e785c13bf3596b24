/** The rules of finishing a course and of how long a completion counts; pure, shared by every screen. */

export type LessonOutline = { slug: string; hasQuiz: boolean }

export type CompletionState = {
	complete: boolean
	/** Lessons not yet done, in course order. */
	remainingLessons: string[]
	/** Quiz lessons whose quiz has not been passed in this run. */
	quizzesToPass: string[]
}

/** A course is complete when every lesson is done and every quiz passed. */
export function evaluateCompletion(lessons: LessonOutline[], doneLessons: ReadonlySet<string>, passedQuizzes: ReadonlySet<string>): CompletionState {
	const remainingLessons = lessons.filter((lesson) => !doneLessons.has(lesson.slug)).map((lesson) => lesson.slug)
	const quizzesToPass = lessons.filter((lesson) => lesson.hasQuiz && !passedQuizzes.has(lesson.slug)).map((lesson) => lesson.slug)
	return { complete: lessons.length > 0 && remainingLessons.length === 0 && quizzesToPass.length === 0, remainingLessons, quizzesToPass }
}

/**
 * Calendar months later, in UTC. A day the target month lacks becomes its last day, so a course
 * completed on 31 January with 1 month's validity expires on 28 (or 29) February.
 */
export function addMonths(date: Date, months: number) {
	const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()))
	const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
	target.setUTCDate(Math.min(date.getUTCDate(), lastDay))
	return target
}

export type CertificateStatus = 'valid' | 'expired' | 'revoked'

const DAY_MS = 24 * 60 * 60 * 1000

/** Which UTC calendar day a moment falls on, as a day number. */
const utcDayNumber = (date: Date) => Math.floor(date.getTime() / DAY_MS)

/**
 * Revocation wins over everything; a completion is valid through the whole UTC day it expires on,
 * whatever its time of day, and expired from the next day (decision 017). The compliance status
 * reads validity the same way in SQL (`bulwark_requirement_status`); a test holds them together.
 */
export function certificateStatus(certificate: { expiresAt: Date; revokedAt: Date | null }, now: Date): CertificateStatus {
	if (certificate.revokedAt) return 'revoked'
	return utcDayNumber(now) <= utcDayNumber(certificate.expiresAt) ? 'valid' : 'expired'
}

/**
 * Where "Resume" leads: the remembered lesson while it is unfinished, else the first lesson not yet
 * done (a quiz lesson is done once its quiz is passed), else the first lesson.
 */
export function resumeLesson(lessons: LessonOutline[], remembered: string | null, doneLessons: ReadonlySet<string>) {
	if (remembered && !doneLessons.has(remembered) && lessons.some((lesson) => lesson.slug === remembered)) return remembered
	return (lessons.find((lesson) => !doneLessons.has(lesson.slug)) ?? lessons[0])?.slug ?? null
}
