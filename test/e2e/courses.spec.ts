import { expect, type Response, test } from '@playwright/test'
import { newUser, signUp } from './helpers/accounts.ts'
import { answerQuiz, readCourse } from './helpers/courses.ts'

const FREE_COURSE = 'reporting-incidents'

test('a new learner takes a free course start to finish, fails the quiz once, passes it and gets a verifiable certificate', async ({ page, browser }) => {
	const course = await readCourse(FREE_COURSE)
	const english = course.variants.en
	const quizLesson = english.lessons.find((lesson) => lesson.quiz)!
	const questions = quizLesson.quiz!.questions

	// Anyone can read the free course's overview and sign up from it.
	await page.goto('/courses')
	const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: english.title }) })
	await expect(card.getByText('Free', { exact: true })).toBeVisible()
	await card.getByRole('link', { name: english.title }).click()
	await expect(page.getByRole('heading', { level: 1, name: english.title })).toBeVisible()
	await expect(page.getByRole('list').filter({ hasText: english.lessons[0]!.title })).toBeVisible()

	const learner = newUser('Learner')
	await signUp(page, learner)
	await page.goto(`/courses/${FREE_COURSE}`)
	await page.getByRole('link', { name: 'Start the course' }).click()

	// Every lesson before the quiz: read, complete, continue; the progress bar follows.
	for (const [index, lesson] of english.lessons.entries()) {
		await expect(page.getByRole('heading', { level: 1, name: lesson.title })).toBeVisible()
		await expect(page.getByText(`${index} of ${english.lessons.length} lessons done`)).toBeVisible()
		if (lesson.quiz) break
		await page.getByRole('button', { name: /^Complete/ }).click()
	}
	await expect(page).toHaveURL(`/courses/${FREE_COURSE}/${quizLesson.slug}`)

	// First attempt: wrong answers, a fail, and an explanation for every question.
	await answerQuiz(page, questions, { correct: false })
	await expect(page.getByRole('heading', { name: 'Not passed yet' })).toBeVisible()
	for (const question of questions) await expect(page.getByText(question.explanation.trim())).toBeVisible()

	// Second attempt: a new, reshuffled form; the right answers pass and finish the course.
	await page.getByRole('link', { name: 'Try again' }).click()
	await answerQuiz(page, questions, { correct: true })
	await expect(page).toHaveURL(/\/certificates\/[0-9A-Z-]{24}$/)
	await expect(page.getByRole('status')).toContainText(`You completed ${english.title}`)
	const certificate = page.getByRole('article', { name: 'Certificate of completion' })
	await expect(certificate).toContainText(learner.name)
	await expect(certificate).toContainText(english.title)
	await expect(certificate).toContainText('Valid')
	const code = page.url().split('/').pop()!

	// The PDF downloads.
	const downloadPromise = page.waitForEvent('download')
	await page.getByRole('link', { name: 'Download PDF' }).click()
	const download = await downloadPromise
	expect(download.suggestedFilename()).toBe(`bulwark-certificate-${code}.pdf`)

	// The dashboard lists the completion with its expiry.
	await page.goto('/dashboard')
	await expect(page.getByRole('row').filter({ hasText: english.title })).toContainText('Completed · valid until')

	// Anyone with the code sees it verified: name, course, date, valid; nothing else.
	const visitor = await browser.newContext()
	try {
		const verifyPage = await visitor.newPage()
		await verifyPage.goto(`/verify/${code}`)
		await expect(verifyPage.getByRole('status')).toHaveText('This certificate is genuine and valid.')
		await expect(verifyPage.getByRole('main')).toContainText(learner.name)
		await expect(verifyPage.getByRole('main')).toContainText(english.title)
		await expect(verifyPage.getByRole('main')).not.toContainText(learner.email)
		const unknown = await verifyPage.goto('/verify/0000-0000-0000-0000-0000')
		expect(unknown?.status()).toBe(404)
	} finally {
		await visitor.close()
	}
})

test('the quiz answers are absent from everything the browser received before submitting', async ({ page }) => {
	const course = await readCourse(FREE_COURSE)
	const quizLesson = course.variants.en.lessons.find((lesson) => lesson.quiz)!
	const questions = quizLesson.quiz!.questions
	await signUp(page, newUser('Curious'))

	const received: Promise<string>[] = []
	const collect = (response: Response) => {
		received.push(response.body().then((body) => body.toString('utf8'), () => ''))
	}
	page.on('response', collect)
	await page.goto(`/courses/${FREE_COURSE}/${quizLesson.slug}`)
	await expect(page.getByRole('button', { name: 'Submit answers' })).toBeVisible()
	// Client-side navigation away and back fetches the loader data as well.
	await page.getByRole('link', { name: course.variants.en.lessons[0]!.title }).click()
	await page.getByRole('link', { name: quizLesson.title }).click()
	await expect(page.getByRole('button', { name: 'Submit answers' })).toBeVisible()
	await page.waitForLoadState('networkidle')
	page.off('response', collect)

	const bodies = await Promise.all(received)
	const everything = bodies.join('\n')
	expect(bodies.length).toBeGreaterThan(3)
	// The questions did arrive (so the check looks at the right responses) ...
	for (const question of questions) expect(everything).toContain(question.prompt.slice(0, 30))
	// ... but no explanation, and nothing that marks an option correct.
	for (const question of questions) expect(everything).not.toContain(question.explanation.trim().slice(0, 60))
	// Loader data travels as turbo-stream (keys listed as quoted strings), inside HTML escaped as \"key\".
	for (const key of ['correct', 'answer', 'explanation']) expect(everything).not.toMatch(new RegExp(`\\\\?"${key}\\\\?"`))
})

test('the resume point survives logging out and in again', async ({ page }) => {
	const course = await readCourse(FREE_COURSE)
	const [first, second] = course.variants.en.lessons
	const learner = newUser('Resumer')
	await signUp(page, learner)
	await page.goto(`/courses/${FREE_COURSE}`)
	await page.getByRole('link', { name: 'Start the course' }).click()
	await page.getByRole('button', { name: /^Complete/ }).click()
	await expect(page.getByRole('heading', { level: 1, name: second!.title })).toBeVisible()

	await page.getByText('Signed in as').click()
	await page.getByRole('button', { name: 'Log out' }).click()
	await page.goto('/login')
	await page.getByLabel('Email').fill(learner.email)
	await page.getByLabel('Password').fill(learner.password)
	await page.getByRole('button', { name: 'Log in' }).click()

	// The dashboard and the course page both offer to resume at the second lesson.
	await expect(page.getByRole('link', { name: `Resume: ${second!.title}` })).toBeVisible()
	await page.goto(`/courses/${FREE_COURSE}`)
	await page.getByRole('link', { name: `Resume: ${second!.title}` }).click()
	await expect(page).toHaveURL(`/courses/${FREE_COURSE}/${second!.slug}`)
	await expect(page.getByText(`1 of ${course.variants.en.lessons.length} lessons done`)).toBeVisible()
	await expect(page.getByRole('navigation', { name: 'Lessons' }).getByRole('listitem').first()).toContainText(first!.title)
})

test('a learner who prefers German gets the German course, and its scenario and email reveal their feedback once answered', async ({ page }) => {
	const course = await readCourse(FREE_COURSE)
	const german = course.variants.de!
	const lessonWithEmail = german.lessons.find((lesson) => lesson.body.includes('<EmailMock'))!
	await signUp(page, newUser('Lernende'))
	await page.goto('/settings')
	await page.getByLabel('Language', { exact: true }).selectOption('de')
	await page.getByRole('button', { name: 'Save language' }).click()
	await expect(page.getByRole('status')).toContainText('Deutsch')

	await page.goto(`/courses/${FREE_COURSE}`)
	await expect(page.getByRole('heading', { level: 1, name: german.title })).toBeVisible()
	await page.goto(`/courses/${FREE_COURSE}/${lessonWithEmail.slug}`)
	await expect(page.getByRole('heading', { level: 1, name: lessonWithEmail.title })).toBeVisible()

	// The email's tell-tale details stay unmarked until the learner decides.
	const email = page.locator('.email-mock').first()
	await expect(email.locator('.email-flag-note').first()).toBeHidden()
	await email.getByText('Als Phishing melden').click()
	await expect(email.getByText('Richtig: Das ist eine Phishing-E-Mail.')).toBeVisible()
	await expect(email.locator('.email-flag-note').first()).toBeVisible()

	// A scenario shows the feedback of the choice picked, and only that one.
	const scenario = page.locator('.scenario').first()
	const choices = scenario.locator('.reveal-choice')
	await expect(choices.first().locator('.reveal-feedback')).toBeHidden()
	await choices.first().locator('label').click()
	await expect(choices.first().locator('.reveal-feedback')).toBeVisible()
	await expect(choices.nth(1).locator('.reveal-feedback')).toBeHidden()
})
