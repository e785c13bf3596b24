import { describe, expect, test } from 'vitest'
import { addMonths, certificateStatus, evaluateCompletion, type LessonOutline, resumeLesson } from './completion.ts'

const lessons: LessonOutline[] = [
	{ slug: 'spot-the-signs', hasQuiz: false },
	{ slug: 'check-yourself', hasQuiz: true },
	{ slug: 'what-next', hasQuiz: false },
	{ slug: 'final-quiz', hasQuiz: true },
]
const all = new Set(lessons.map((lesson) => lesson.slug))
const quizzes = new Set(['check-yourself', 'final-quiz'])

describe('evaluateCompletion', () => {
	test('every lesson done and every quiz passed: complete', () => {
		expect(evaluateCompletion(lessons, all, quizzes)).toEqual({ complete: true, remainingLessons: [], quizzesToPass: [] })
	})

	test('a quiz lesson done but its quiz not passed: incomplete', () => {
		expect(evaluateCompletion(lessons, all, new Set(['check-yourself']))).toEqual({ complete: false, remainingLessons: [], quizzesToPass: ['final-quiz'] })
	})

	test('a lesson not done: incomplete, even with every quiz passed', () => {
		expect(evaluateCompletion(lessons, new Set(['spot-the-signs', 'check-yourself', 'final-quiz']), quizzes)).toEqual({
			complete: false,
			remainingLessons: ['what-next'],
			quizzesToPass: [],
		})
	})

	test('lists what remains in course order, whatever order the sets are in', () => {
		expect(evaluateCompletion(lessons, new Set(['what-next']), new Set())).toEqual({
			complete: false,
			remainingLessons: ['spot-the-signs', 'check-yourself', 'final-quiz'],
			quizzesToPass: ['check-yourself', 'final-quiz'],
		})
		expect(evaluateCompletion(lessons, new Set(), new Set(['final-quiz'])).quizzesToPass).toEqual(['check-yourself'])
	})

	test('a course without lessons is never complete', () => {
		expect(evaluateCompletion([], new Set(), new Set())).toEqual({ complete: false, remainingLessons: [], quizzesToPass: [] })
	})

	test('progress on lessons the course no longer has does not count', () => {
		expect(evaluateCompletion(lessons, new Set(['old-lesson']), new Set(['old-quiz'])).complete).toBe(false)
	})
})

describe('addMonths', () => {
	test('31 January + 1 month is the last day of February: 28th in a common year, 29th in a leap year', () => {
		expect(addMonths(new Date('2027-01-31T00:00:00.000Z'), 1)).toEqual(new Date('2027-02-28T00:00:00.000Z'))
		expect(addMonths(new Date('2028-01-31T00:00:00.000Z'), 1)).toEqual(new Date('2028-02-29T00:00:00.000Z'))
	})

	test('29 February + 12 months is 28 February', () => {
		expect(addMonths(new Date('2028-02-29T08:00:00.000Z'), 12)).toEqual(new Date('2029-02-28T08:00:00.000Z'))
		expect(addMonths(new Date('2028-02-29T08:00:00.000Z'), 48)).toEqual(new Date('2032-02-29T08:00:00.000Z'))
	})

	test('31 March + 1 month is 30 April', () => {
		expect(addMonths(new Date('2026-03-31T12:00:00.000Z'), 1)).toEqual(new Date('2026-04-30T12:00:00.000Z'))
	})

	test('a day every month has stays the same', () => {
		expect(addMonths(new Date('2026-03-15T12:00:00.000Z'), 1)).toEqual(new Date('2026-04-15T12:00:00.000Z'))
		expect(addMonths(new Date('2026-03-30T12:00:00.000Z'), 1)).toEqual(new Date('2026-04-30T12:00:00.000Z'))
	})

	test('crosses the year', () => {
		expect(addMonths(new Date('2026-11-15T09:30:00.000Z'), 2)).toEqual(new Date('2027-01-15T09:30:00.000Z'))
		expect(addMonths(new Date('2026-12-31T09:30:00.000Z'), 2)).toEqual(new Date('2027-02-28T09:30:00.000Z'))
		expect(addMonths(new Date('2026-06-10T09:30:00.000Z'), 60)).toEqual(new Date('2031-06-10T09:30:00.000Z'))
	})

	test('keeps the time of day to the millisecond, in UTC', () => {
		expect(addMonths(new Date('2027-01-31T23:59:59.999Z'), 1)).toEqual(new Date('2027-02-28T23:59:59.999Z'))
		expect(addMonths(new Date('2026-10-25T00:30:00.123Z'), 1)).toEqual(new Date('2026-11-25T00:30:00.123Z'))
	})

	test('does not change the date it was given', () => {
		const given = new Date('2027-01-31T10:00:00.000Z')
		addMonths(given, 1)
		expect(given).toEqual(new Date('2027-01-31T10:00:00.000Z'))
	})

})

describe('certificateStatus', () => {
	// Expires at noon on 10 March: valid through that whole UTC day, expired from 11 March 00:00.
	const expiresAt = new Date('2027-03-10T12:00:00.000Z')

	test('valid through the whole UTC day it expires on, whatever its time of day', () => {
		expect(certificateStatus({ expiresAt, revokedAt: null }, new Date('2026-03-10T12:00:00.000Z'))).toBe('valid')
		expect(certificateStatus({ expiresAt, revokedAt: null }, new Date('2027-03-10T00:00:00.000Z'))).toBe('valid')
		expect(certificateStatus({ expiresAt, revokedAt: null }, expiresAt)).toBe('valid')
		expect(certificateStatus({ expiresAt, revokedAt: null }, new Date('2027-03-10T23:59:59.999Z'))).toBe('valid')
	})

	test('expired from midnight UTC after its expiry day', () => {
		expect(certificateStatus({ expiresAt, revokedAt: null }, new Date('2027-03-11T00:00:00.000Z'))).toBe('expired')
		expect(certificateStatus({ expiresAt, revokedAt: null }, new Date('2027-03-11T23:59:59.999Z'))).toBe('expired')
	})

	test('an expiry at 00:00 or 23:59 counts the same day', () => {
		for (const time of ['00:00:00.000', '23:59:59.999']) {
			const expiry = { expiresAt: new Date(`2027-03-10T${time}Z`), revokedAt: null }
			expect(certificateStatus(expiry, new Date('2027-03-10T23:59:59.999Z'))).toBe('valid')
			expect(certificateStatus(expiry, new Date('2027-03-11T00:00:00.000Z'))).toBe('expired')
		}
	})

	test('revoked wins, whether or not it has expired', () => {
		const revokedAt = new Date('2026-05-01T00:00:00.000Z')
		expect(certificateStatus({ expiresAt, revokedAt }, new Date('2027-03-09T00:00:00.000Z'))).toBe('revoked')
		expect(certificateStatus({ expiresAt, revokedAt }, expiresAt)).toBe('revoked')
		expect(certificateStatus({ expiresAt, revokedAt }, new Date('2027-04-01T00:00:00.000Z'))).toBe('revoked')
	})
})

describe('resumeLesson', () => {
	test('the remembered lesson, while the course has it and it is unfinished', () => {
		expect(resumeLesson(lessons, 'what-next', new Set(['spot-the-signs']))).toBe('what-next')
	})

	test('a remembered lesson already done: the first lesson still to do (say a quiz in the middle)', () => {
		expect(resumeLesson(lessons, 'what-next', new Set(['spot-the-signs', 'what-next']))).toBe('check-yourself')
		expect(resumeLesson(lessons, 'spot-the-signs', all)).toBe('spot-the-signs')
	})

	test('a remembered lesson that no longer exists: the first lesson not done', () => {
		expect(resumeLesson(lessons, 'renamed-lesson', new Set(['spot-the-signs', 'what-next']))).toBe('check-yourself')
	})

	test('nothing remembered: the first lesson not done', () => {
		expect(resumeLesson(lessons, null, new Set(['spot-the-signs', 'check-yourself']))).toBe('what-next')
		expect(resumeLesson(lessons, null, new Set())).toBe('spot-the-signs')
	})

	test('every lesson done: the first lesson', () => {
		expect(resumeLesson(lessons, null, all)).toBe('spot-the-signs')
		expect(resumeLesson(lessons, 'gone', all)).toBe('spot-the-signs')
	})

	test('a course without lessons: nowhere', () => {
		expect(resumeLesson([], 'gone', new Set())).toBeNull()
	})
})
