import { expect, test } from '@playwright/test'
import { createOrganisation, newUser, signUp, uniqueId } from './helpers/accounts.ts'

test('a member of two organisations sees both and switches between them from the header', async ({ page }) => {
	const user = newUser('Switcher')
	await signUp(page, user)
	const first = `First Org ${uniqueId()}`
	const second = `Second Org ${uniqueId()}`
	const firstUrl = await createOrganisation(page, first)
	await createOrganisation(page, second)

	const accountNav = page.getByRole('navigation', { name: 'Account' })
	// The organisation worked in last is the current one in the header.
	await expect(accountNav).toContainText(second)

	await accountNav.getByText('Organisation', { exact: true }).click()
	await accountNav.getByRole('link', { name: new RegExp(`^${first}`) }).click()
	await expect(page).toHaveURL(firstUrl)
	await expect(page.getByRole('heading', { level: 1, name: first })).toBeVisible()
	await expect(accountNav.locator('summary').first()).toContainText(first)

	// The dashboard lists both, with the role in each.
	await page.goto('/dashboard')
	const list = page.getByRole('list', { name: 'Your organisations' })
	await expect(list.getByRole('listitem')).toHaveCount(2)
	await expect(list).toContainText(first)
	await expect(list).toContainText(second)
	await expect(list).toContainText('Your role: Admin')
})
