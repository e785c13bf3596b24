import { type Browser, expect, type Page, test } from '@playwright/test'
import { acceptInvitationAsNewAccount, createInvitationLink, createOrganisation, newUser, signUp, type TestUser, uniqueId } from './helpers/accounts.ts'

/** An admin's organisation with two colleagues who joined through invitation links, and a Sales department. */
async function organisationWithColleagues(page: Page, browser: Browser) {
	await signUp(page, newUser('Chief'))
	const organisationName = `Members Org ${uniqueId()}`
	const organisationUrl = await createOrganisation(page, organisationName)
	await page.goto(`${organisationUrl}/departments`)
	await page.getByLabel('New department').fill('Sales')
	await page.getByRole('button', { name: 'Add department' }).click()
	await expect(page.getByRole('status')).toContainText('Sales')
	const colleagues: TestUser[] = []
	for (const label of ['Alice', 'Bob']) {
		const colleague = newUser(label)
		const link = await createInvitationLink(page, organisationUrl, colleague.email)
		await acceptInvitationAsNewAccount(browser, { link, colleague, organisationName, organisationUrl })
		colleagues.push(colleague)
	}
	const [alice, bob] = colleagues as [TestUser, TestUser]
	return { organisationUrl, alice, bob }
}

const memberRow = (page: Page, member: TestUser) => page.getByRole('table', { name: 'Members' }).getByRole('row').filter({ hasText: member.email })

test('an admin searches and filters the members, opens one’s compliance page, and deactivating asks first', async ({ page, browser }) => {
	const { organisationUrl, alice, bob } = await organisationWithColleagues(page, browser)
	await page.goto(`${organisationUrl}/members`)
	await expect(page.getByText('3 members', { exact: true })).toBeVisible()

	// Alice moves to Sales from her row.
	await memberRow(page, alice).getByLabel(`Department of ${alice.name}`).selectOption({ label: 'Sales' })
	await memberRow(page, alice).getByRole('button', { name: `Save ${alice.name}` }).click()
	await expect(page.getByRole('status').filter({ hasText: 'Member updated.' })).toBeVisible()

	// Search, case-insensitive, and filters: each a URL of its own.
	await page.getByLabel('Name or email').fill(bob.email.toUpperCase())
	await page.getByRole('button', { name: 'Show' }).click()
	await expect(page).toHaveURL(/[?&]q=/)
	await expect(page.getByText('1 member', { exact: true })).toBeVisible()
	await expect(memberRow(page, bob)).toBeVisible()
	await page.getByLabel('Name or email').fill('')
	await page.getByLabel('Department', { exact: true }).selectOption({ label: 'Sales' })
	await page.getByRole('button', { name: 'Show' }).click()
	await expect(page.getByText('1 member', { exact: true })).toBeVisible()
	await expect(memberRow(page, alice)).toBeVisible()
	await page.getByLabel('Department', { exact: true }).selectOption({ label: 'Any department' })
	await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Learner' })
	await page.getByRole('button', { name: 'Show' }).click()
	await expect(page.getByText('2 members', { exact: true })).toBeVisible()
	const bookmarked = page.url()
	await page.goto(bookmarked)
	await expect(page.getByLabel('Role', { exact: true })).toHaveValue('LEARNER')
	await expect(page.getByText('2 members', { exact: true })).toBeVisible()

	// Each name opens that member's compliance page.
	await memberRow(page, alice).getByRole('link', { name: alice.name, exact: true }).click()
	await expect(page).toHaveURL(new RegExp(`${organisationUrl}/compliance/members/\\w+$`))
	await expect(page.getByRole('heading', { name: alice.name })).toBeVisible()
	await page.goBack()

	// Deactivating asks first; Cancel leaves Bob as he was, on the same filtered list.
	await memberRow(page, bob).getByRole('link', { name: `Deactivate ${bob.name}` }).click()
	const step = page.getByRole('region', { name: `Deactivate ${bob.name}?` })
	await expect(step).toContainText(bob.email)
	await step.getByRole('link', { name: 'Cancel' }).click()
	await expect(step).toHaveCount(0)
	await expect(page.getByLabel('Role', { exact: true })).toHaveValue('LEARNER')
	await expect(memberRow(page, bob)).toContainText('Active')

	await memberRow(page, bob).getByRole('link', { name: `Deactivate ${bob.name}` }).click()
	await step.getByRole('button', { name: 'Deactivate' }).click()
	await expect(page.getByRole('status').filter({ hasText: 'Member deactivated' })).toBeVisible()
	await expect(memberRow(page, bob)).toHaveCount(0)
	await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Deactivated' })
	await page.getByRole('button', { name: 'Show' }).click()
	await expect(memberRow(page, bob)).toContainText('Deactivated')
	await expect(memberRow(page, bob).getByRole('button', { name: `Reactivate ${bob.name}` })).toBeVisible()
})

test('without JavaScript the confirmation step works the same', async ({ page, browser }) => {
	const { organisationUrl, bob } = await organisationWithColleagues(page, browser)
	const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() })
	try {
		const noScript = await context.newPage()
		await noScript.goto(`${organisationUrl}/members`)
		await memberRow(noScript, bob).getByRole('link', { name: `Deactivate ${bob.name}` }).click()
		await noScript.getByRole('region', { name: `Deactivate ${bob.name}?` }).getByRole('button', { name: 'Deactivate' }).click()
		await expect(noScript.getByRole('status').filter({ hasText: 'Member deactivated' })).toBeVisible()
		await expect(memberRow(noScript, bob)).toHaveCount(0)
	} finally {
		await context.close()
	}
})

test('on a 390 px phone the members are cards: nothing overflows and each row’s forms work', async ({ page, browser }) => {
	const { organisationUrl, alice } = await organisationWithColleagues(page, browser)
	await page.setViewportSize({ width: 390, height: 844 })
	await page.goto(`${organisationUrl}/members`)
	const fitsTheScreen = () => page.evaluate(() => document.documentElement.scrollWidth)
	expect(await fitsTheScreen()).toBeLessThanOrEqual(390)

	const row = memberRow(page, alice)
	const deactivate = row.getByRole('link', { name: `Deactivate ${alice.name}` })
	await deactivate.scrollIntoViewIfNeeded()
	const box = await deactivate.boundingBox()
	expect(box).not.toBeNull()
	expect(box!.x).toBeGreaterThanOrEqual(0)
	expect(box!.x + box!.width).toBeLessThanOrEqual(390)

	await row.getByLabel(`Role of ${alice.name}`).selectOption({ label: 'Manager' })
	await row.getByRole('button', { name: `Save ${alice.name}` }).click()
	await expect(page.getByRole('status').filter({ hasText: 'Member updated.' })).toBeVisible()
	await expect(memberRow(page, alice).getByLabel(`Role of ${alice.name}`)).toHaveValue('MANAGER')
	expect(await fitsTheScreen()).toBeLessThanOrEqual(390)

	await memberRow(page, alice).getByRole('link', { name: `Deactivate ${alice.name}` }).click()
	const confirm = page.getByRole('region', { name: `Deactivate ${alice.name}?` }).getByRole('button', { name: 'Deactivate' })
	await expect(confirm).toBeInViewport()
	expect(await fitsTheScreen()).toBeLessThanOrEqual(390)
})
