import { expect, test } from '@playwright/test'
import { newUser, signUp } from './helpers/accounts.ts'
import { readCourse } from './helpers/courses.ts'

const FREE_COURSE = 'phishing-social-engineering'

test('once a learner has opened a final quiz, no page sends its answer key, in HTML or as .data', async ({ page }) => {
	const course = await readCourse(FREE_COURSE)
	const quizLesson = course.variants.en.lessons.find((lesson) => lesson.quiz)!
	const explanations = quizLesson.quiz!.questions.map((question) => question.explanation.trim())

	await signUp(page, newUser('Opener'))
	await page.goto(`/courses/${FREE_COURSE}/${quizLesson.slug}`)
	await expect(page.getByRole('button', { name: 'Submit answers' })).toBeVisible()

	// The pages that list or point to the resume lesson, now the quiz, as the browser fetches them.
	for (const path of ['/dashboard', '/courses', `/courses/${FREE_COURSE}`]) {
		for (const url of [path, `${path}.data`]) {
			const response = await page.request.get(url)
			expect(response.status(), url).toBe(200)
			const body = await response.text()
			expect(body, url).not.toMatch(/\\?"(correct|explanation)\\?"/)
			for (const explanation of explanations) expect(body.includes(explanation), `${url} carries an explanation`).toBe(false)
		}
	}
})
