import path from 'node:path'
import { expect, test } from '@playwright/test'
import { readCourseSources } from '../../app/modules/courses/course-source.server.ts'
import { createOrganisation, newUser, signUp, uniqueId } from './helpers/accounts.ts'

test('an admin applies the training baseline, adjusts it, pauses it and resumes it; the audit log records each change', async ({ page }) => {
	await signUp(page, newUser('Baseliner'))
	const organisationUrl = await createOrganisation(page, `Baseline Org ${uniqueId()}`)

	await page.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Requirements' }).click()
	await expect(page.getByText('No training is required yet.')).toBeVisible()
	await page.getByRole('button', { name: 'Apply the baseline' }).click()
	const { courses } = await readCourseSources(path.resolve('courses'))
	const free = courses.filter((course) => course.facts.free).length
	await expect(page.getByRole('status')).toContainText(`Baseline applied: ${free} free module${free === 1 ? '' : 's'} now required of everyone.`)

	const requirements = page.getByRole('table', { name: 'Training requirements' })
	const row = requirements.getByRole('row', { name: /Reporting a security incident/ })
	await expect(row).toContainText('Everyone')
	await expect(row).toContainText('30 days')
	await expect(row).toContainText('12 months')
	await expect(page.getByRole('button', { name: 'Apply the baseline' })).toHaveCount(0)

	// The baseline is a start: the admin gives everyone 45 days instead.
	await row.getByText('Adjust').click()
	await row.getByLabel('Days to complete it').fill('45')
	await row.getByRole('button', { name: 'Save' }).click()
	await expect(page.getByRole('status')).toContainText('Requirement adjusted.')
	await expect(requirements.getByRole('row', { name: /Reporting a security incident/ })).toContainText('45 days')

	await row.getByRole('button', { name: 'Pause' }).click()
	await expect(requirements.getByRole('row', { name: /Reporting a security incident/ })).toContainText('Paused')
	await requirements.getByRole('button', { name: 'Resume' }).click()
	await expect(requirements.getByRole('row', { name: /Reporting a security incident/ })).not.toContainText('Paused')

	// Removing asks first: Cancel keeps the requirement, Remove requirement removes it.
	const other = requirements.getByRole('row').filter({ hasNotText: 'Reporting a security incident' }).filter({ has: page.getByRole('link', { name: /^Remove/ }) }).first()
	const otherTitle = (await other.getByRole('rowheader').textContent())!.trim()
	await other.getByRole('link', { name: /^Remove/ }).click()
	const step = page.getByRole('region', { name: `Remove “${otherTitle}”?` })
	await step.getByRole('link', { name: 'Cancel' }).click()
	await expect(step).toHaveCount(0)
	await expect(requirements.getByRole('row', { name: otherTitle })).toBeVisible()
	await requirements.getByRole('row', { name: otherTitle }).getByRole('link', { name: /^Remove/ }).click()
	await step.getByRole('button', { name: 'Remove requirement' }).click()
	await expect(page.getByRole('status')).toContainText('Requirement removed.')
	await expect(requirements.getByRole('row', { name: otherTitle })).toHaveCount(0)

	await page.goto(`${organisationUrl}/audit`)
	for (const action of ['Applied the training baseline', 'Adjusted a training requirement', 'Paused a training requirement', 'Resumed a training requirement', 'Removed a training requirement']) {
		await expect(page.getByRole('table')).toContainText(action)
	}

	// The admin is a member too: the baseline is now assigned to them, due within 30 days.
	await page.goto('/dashboard')
	const assigned = page.getByRole('region', { name: 'Assigned to you' })
	await expect(assigned.getByRole('row', { name: /Reporting a security incident/ })).toContainText('Due')
})

test('a requirement form with a department audience and no department ticked says what is missing', async ({ page }) => {
	await signUp(page, newUser('Formfiller'))
	const organisationUrl = await createOrganisation(page, `Form Org ${uniqueId()}`)
	await page.goto(`${organisationUrl}/requirements`)
	await page.getByLabel('Course').selectOption({ label: 'Physical security and clean desk' })
	await page.getByLabel('Given departments').check()
	await page.getByRole('button', { name: 'Add requirement' }).click()
	await expect(page.getByText('Tick at least one department')).toBeVisible()
	await page.getByLabel('Everyone').check()
	await page.getByRole('button', { name: 'Add requirement' }).click()
	await expect(page.getByRole('status')).toContainText('“Physical security and clean desk” is now required.')
})
