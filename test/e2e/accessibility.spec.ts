import { expect, test } from '@playwright/test'

const pages = [
	{ path: '/signup', labels: ['Name', 'Email', 'Password'] },
	{ path: '/login', labels: ['Email', 'Password'] },
]

for (const { path, labels } of pages) {
	test.describe(path, () => {
		test.beforeEach(async ({ page }) => {
			await page.goto(path)
		})

		test('has landmarks and a label for every input', async ({ page }) => {
			await expect(page.getByRole('main')).toBeVisible()
			await expect(page.getByRole('banner')).toBeVisible()
			for (const label of labels) await expect(page.getByLabel(label, { exact: true })).toBeVisible()
			const inputs = page.locator('input:not([type="hidden"]), select, textarea')
			expect(await inputs.count()).toBe(labels.length)
			for (const input of await inputs.all()) await expect(input).toHaveAccessibleName(/\S/)
		})

		test('the skip link moves focus to the main content', async ({ page }) => {
			await page.keyboard.press('Tab')
			const skipLink = page.getByRole('link', { name: 'Skip to content' })
			await expect(skipLink).toBeFocused()
			await expect(skipLink).toBeInViewport()
			await page.keyboard.press('Enter')
			await expect(page.getByRole('main')).toBeFocused()
		})
	})
}
