import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { expect, type Page, test } from '@playwright/test'
import { readCourseSources } from '../../app/modules/courses/course-source.server.ts'
import { createInvitationLink, createOrganisation, joinAsNewAccount, newUser, signUp, uniqueId } from './helpers/accounts.ts'
import { completeCourse, readCourse } from './helpers/courses.ts'

const FREE_COURSE = 'reporting-incidents'

async function otherFreeCourseTitles() {
	const { courses } = await readCourseSources(path.resolve('courses'))
	return courses.filter((course) => course.facts.free && course.slug !== FREE_COURSE).map((course) => course.variants.en.title)
}

/** Downloads the dashboard's CSV and returns the learner's row as header → cell. */
async function csvRowOf(page: Page, email: string) {
	const downloadPromise = page.waitForEvent('download')
	await page.getByRole('link', { name: 'Download CSV' }).click()
	const download = await downloadPromise
	expect(download.suggestedFilename()).toMatch(/-compliance-\d{4}-\d{2}-\d{2}\.csv$/)
	const [header, ...records] = (await readFile((await download.path())!, 'utf8'))
		.replace(/^\uFEFF/, '')
		.split('\r\n')
		.filter(Boolean)
		.map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => match[1]!))
	const record = records.find((cells) => cells.includes(email))
	if (!record) throw new Error(`No CSV row for ${email}`)
	return Object.fromEntries(header!.map((name, index) => [name, record[index]]))
}

test('an admin applies the baseline, a learner completes it, the dashboard and CSV show it, and the statement verifies publicly', async ({ page, browser }) => {
	const { title } = (await readCourse(FREE_COURSE)).variants.en
	const today = new Date().toISOString().slice(0, 10)
	// The charts draw in the browser under the Content-Security-Policy: nothing may be refused.
	const consoleErrors: string[] = []
	page.on('console', (message) => {
		if (message.type() === 'error') consoleErrors.push(message.text())
	})
	await signUp(page, newUser('Officer'))
	const organisationName = `Compliance Org ${uniqueId()}`
	const organisationUrl = await createOrganisation(page, organisationName)

	await page.goto(`${organisationUrl}/requirements`)
	await page.getByRole('button', { name: 'Apply the baseline' }).click()
	await expect(page.getByRole('status')).toContainText('Baseline applied')
	// One requirement keeps the figures simple: the baseline's other free modules are paused.
	const requirements = page.getByRole('table', { name: 'Training requirements' })
	for (const other of await otherFreeCourseTitles()) {
		await requirements.getByRole('row', { name: other }).getByRole('button', { name: 'Pause' }).click()
		await expect(requirements.getByRole('row', { name: other })).toContainText('Paused')
	}

	const learner = newUser('Trainee')
	const link = await createInvitationLink(page, organisationUrl, learner.email)
	const { context: learnerContext, page: learnerPage } = await joinAsNewAccount(browser, { link, colleague: learner, organisationName, organisationUrl })
	try {
		// Before: two members (the admin and the learner), nobody compliant, the learner due.
		await page.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Compliance' }).click()
		const tiles = page.getByRole('list', { name: 'Summary' }).getByRole('listitem')
		await expect(tiles.nth(0)).toHaveText(/Members\s*2/)
		await expect(tiles.nth(1)).toHaveText(/Compliant\s*0 %/)
		const learnerRow = page.getByRole('row').filter({ hasText: learner.email })
		await expect(learnerRow).toContainText('Due')
		await expect(page.getByRole('region', { name: 'Members by department' }).locator('svg.recharts-surface').first()).toBeVisible()
		await expect(page.getByRole('region', { name: 'Members by requirement' }).locator('svg.recharts-surface').first()).toBeVisible()
		await expect(page.getByRole('region', { name: 'Compliant over the last 12 months' }).locator('svg.recharts-surface').first()).toBeVisible()
		expect(await csvRowOf(page, learner.email)).toMatchObject({ Requirement: title, Status: 'Due', 'Member status': 'Due', Completed: '' })

		// A reminder for the learner, once a day; the admin finds it in the outbox.
		await learnerRow.getByRole('button', { name: `Remind ${learner.name}` }).click()
		await expect(page.getByRole('status').filter({ hasText: 'Queued 1 reminder; email is not configured, so it waits in the outbox.' })).toBeVisible()
		await page.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Outbox' }).click()
		// Its invitation is there too; the reminder waits, as email is not configured on this server.
		const toLearner = page.getByRole('row').filter({ hasText: learner.email })
		await expect(toLearner.filter({ hasText: 'Invitation' })).toHaveCount(1)
		await expect(toLearner.filter({ hasText: 'Reminder' })).toContainText('Waiting: email is not configured')

		// The learner sees the assignment, completes the course, and sees it compliant.
		await learnerPage.goto('/dashboard')
		const assigned = learnerPage.getByRole('region', { name: 'Assigned to you' })
		await expect(assigned.getByRole('row', { name: new RegExp(title) })).toContainText('Due')
		await completeCourse(learnerPage, FREE_COURSE)
		await learnerPage.goto('/dashboard')
		await expect(assigned.getByRole('row', { name: new RegExp(title) })).toContainText('Compliant')

		// After: the dashboard, the member page and the CSV show the completion.
		await page.goto(`${organisationUrl}/compliance`)
		await expect(tiles.nth(1)).toHaveText(/Compliant\s*50 %/)
		await expect(learnerRow).toContainText('Compliant')
		expect(consoleErrors).toEqual([])
		expect(await csvRowOf(page, learner.email)).toMatchObject({ Requirement: title, Status: 'Compliant', 'Member status': 'Compliant', Completed: today })
		await learnerRow.getByRole('link', { name: learner.name }).click()
		await expect(page.getByRole('heading', { name: learner.name })).toBeVisible()
		await expect(page.getByRole('region', { name: 'Completions' }).getByRole('row').filter({ hasText: title })).toBeVisible()
		await expect(page.getByRole('region', { name: 'Quiz attempts' })).toContainText('Passed')

		// A statement, checked by anyone with its code.
		await page.goto(`${organisationUrl}/compliance`)
		await page.getByRole('link', { name: 'Compliance statements' }).click()
		await page.getByRole('button', { name: 'Issue a statement' }).click()
		await expect(page.getByRole('article', { name: 'Training compliance statement' })).toContainText('50 %')
		const code = new URL(page.url()).pathname.split('/').pop()!
		const visitor = await browser.newContext()
		try {
			const verifyPage = await visitor.newPage()
			await verifyPage.goto(`/verify/statement/${code}`)
			await expect(verifyPage.getByRole('status')).toContainText(`This statement is genuine: Bulwark issued it to ${organisationName}.`)
			const statement = verifyPage.getByRole('article', { name: 'Training compliance statement' })
			await expect(statement).toContainText('50 %')
			await expect(statement).toContainText('1 of 2 members meet')
			await expect(statement.getByRole('row', { name: new RegExp(title) })).toContainText('1')
		} finally {
			await visitor.close()
		}
	} finally {
		await learnerContext.close()
	}
})

test('a learner gets 403 on the dashboard; an outsider 404', async ({ page, browser }) => {
	await signUp(page, newUser('Owner'))
	const organisationName = `Private Org ${uniqueId()}`
	const organisationUrl = await createOrganisation(page, organisationName)
	const learner = newUser('Member')
	const link = await createInvitationLink(page, organisationUrl, learner.email)
	const { context, page: learnerPage } = await joinAsNewAccount(browser, { link, colleague: learner, organisationName, organisationUrl })
	try {
		expect((await learnerPage.goto(`${organisationUrl}/compliance`))?.status()).toBe(403)
		await expect(learnerPage.getByRole('main')).toContainText('Compliance is for the organisation’s managers and admins.')
		expect((await learnerPage.goto(`${organisationUrl}/compliance.csv`))?.status()).toBe(403)
	} finally {
		await context.close()
	}
	const outsider = await browser.newContext()
	try {
		const outsiderPage = await outsider.newPage()
		await signUp(outsiderPage, newUser('Outsider'))
		expect((await outsiderPage.goto(`${organisationUrl}/compliance`))?.status()).toBe(404)
	} finally {
		await outsider.close()
	}
})
