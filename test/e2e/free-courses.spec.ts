import path from 'node:path'
import { expect, type Page, test } from '@playwright/test'
import type { Language } from '../../app/modules/courses/course-schema.ts'
import { readCourseSources } from '../../app/modules/courses/course-source.server.ts'
import { newUser, signUp } from './helpers/accounts.ts'
import { answerQuiz } from './helpers/courses.ts'

// Every free course, in every language it is offered in: the answers come from the course files,
// read here on the test's side; the browser never has them.
const { courses } = await readCourseSources(path.resolve('courses'))
const freeCourses = courses.filter((course) => course.facts.free)

async function preferLanguage(page: Page, language: Language) {
	if (language === 'en') return
	await page.goto('/settings')
	await page.getByLabel('Language', { exact: true }).selectOption(language)
	await page.getByRole('button', { name: 'Save language' }).click()
	await expect(page.getByRole('status')).toContainText('Deutsch')
}

test('the library has free courses to take', () => {
	expect(freeCourses.length).toBeGreaterThan(0)
})

for (const course of freeCourses) {
	for (const language of course.facts.languages) {
		test(`${course.slug} (${language}): wrong answers fail the quiz, the right ones pass it`, async ({ page }) => {
			const variant = course.variants[language]!
			await signUp(page, newUser('Quizzer'))
			await preferLanguage(page, language)
			await page.goto(`/courses/${course.slug}`)
			await expect(page.getByRole('heading', { level: 1, name: variant.title })).toBeVisible()
			await page.getByRole('link', { name: 'Start the course' }).click()
			for (const lesson of variant.lessons) {
				await expect(page.getByRole('heading', { level: 1, name: lesson.title })).toBeVisible()
				if (!lesson.quiz) {
					await page.getByRole('button', { name: /^Complete/ }).click()
					continue
				}
				await answerQuiz(page, lesson.quiz.questions, { correct: false, language })
				await expect(page.getByRole('heading', { name: 'Not passed yet' })).toBeVisible()
				await page.getByRole('link', { name: 'Try again' }).click()
				await answerQuiz(page, lesson.quiz.questions, { correct: true, language })
			}
			await expect(page).toHaveURL(/\/certificates\/[0-9A-Z-]{24}$/)
			await expect(page.getByRole('article', { name: 'Certificate of completion' })).toContainText(variant.title)
		})
	}
}
