import path from 'node:path'
import { expect, type Page } from '@playwright/test'
import type { Language, Question } from '../../../app/modules/courses/course-schema.ts'
import { readCourseSources } from '../../../app/modules/courses/course-source.server.ts'
import { optionsOf } from '../../../app/modules/courses/quiz.ts'

/**
 * The course as its files define it, read on the test's (server) side: the browser never has
 * the answers, so this is where a test learns them.
 */
export async function readCourse(slug: string) {
	const { courses, problems } = await readCourseSources(path.resolve('courses'))
	expect(problems).toEqual([])
	const course = courses.find((entry) => entry.slug === slug)
	if (!course) throw new Error(`No course ${slug} in courses/`)
	return course
}

/** Ticks the right options (or, with `correct: false`, a wrong answer) for every question of the quiz on the page. */
export async function answerQuiz(page: Page, questions: Question[], { correct, language = 'en' }: { correct: boolean; language?: Language }) {
	for (const question of questions) {
		const group = page.getByRole('group', { name: question.prompt })
		const options = optionsOf(question, language)
		const right = options.filter((option) => option.correct)
		const wrong = options.filter((option) => !option.correct)
		const chosen = correct ? right : [wrong[0]!]
		for (const option of chosen) await group.getByLabel(option.text, { exact: true }).check()
	}
	await page.getByRole('button', { name: 'Submit answers' }).click()
}

/** Takes the course from its overview to the certificate: every lesson completed, the quiz passed. */
export async function completeCourse(page: Page, slug: string) {
	const { lessons } = (await readCourse(slug)).variants.en
	await page.goto(`/courses/${slug}`)
	await page.getByRole('link', { name: 'Start the course' }).click()
	for (const lesson of lessons) {
		await expect(page.getByRole('heading', { level: 1, name: lesson.title })).toBeVisible()
		if (lesson.quiz) await answerQuiz(page, lesson.quiz.questions, { correct: true })
		else await page.getByRole('button', { name: /^Complete/ }).click()
	}
	await expect(page).toHaveURL(/\/certificates\/[0-9A-Z-]{24}$/)
}
