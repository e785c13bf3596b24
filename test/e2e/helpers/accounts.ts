import { randomUUID } from 'node:crypto'
import { type Browser, expect, type Page } from '@playwright/test'

export const SESSION_COOKIE = 'bulwark_session'

/** Short and unique across runs and workers, so tests never share rows. */
export function uniqueId() {
	return randomUUID().slice(0, 8)
}

export interface TestUser {
	name: string
	email: string
	password: string
}

/** A passphrase that passes the password policy and has nothing to do with the name or email. */
export function newUser(label = 'Tester'): TestUser {
	const id = uniqueId()
	return { name: `${label} ${id}`, email: `${label.toLowerCase()}-${id}@example.test`, password: `violet kayak meadow ${id} nine` }
}

/**
 * Every new account in these tests is a different person on their own network: the suite signs
 * up more people than the sign-up limit lets one address (the app behind its one trusted proxy
 * hop, as playwright.config.ts serves it, reads the client from X-Forwarded-For).
 */
async function arriveFromOwnAddress(page: Page) {
	const [a, b] = randomUUID().replace(/-/g, '').match(/.{4}/g) ?? []
	await page.context().setExtraHTTPHeaders({ 'X-Forwarded-For': `2001:db8:e2e:${a}:${b}::1` })
}

/** Signs up through the form and waits for the learner's dashboard. */
export async function signUp(page: Page, user: TestUser, { from = '/signup' } = {}) {
	await arriveFromOwnAddress(page)
	await page.goto(from)
	await page.getByLabel('Name').fill(user.name)
	await page.getByLabel('Email').fill(user.email)
	await page.getByLabel('Password').fill(user.password)
	await page.getByRole('button', { name: 'Sign up' }).click()
	await expect(page).toHaveURL('/dashboard')
	await expect(page.getByRole('heading', { name: `Welcome, ${user.name}` })).toBeVisible()
}

/** Logs out through the header's account menu. */
export async function logOut(page: Page) {
	await page.getByText('Signed in as').click()
	await page.getByRole('button', { name: 'Log out' }).click()
	await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible()
}

/**
 * The admin creates an invitation link on the organisation's Invitations page (no email is sent
 * without SMTP) and returns it.
 */
export async function createInvitationLink(page: Page, organisationUrl: string, email: string, role = 'Learner') {
	await page.goto(`${organisationUrl}/invitations`)
	await page.getByLabel('Email').fill(email)
	await page.getByLabel('Role').selectOption({ label: role })
	await page.getByRole('button', { name: 'Create invitation link' }).click()
	await expect(page.getByRole('status')).toContainText(`Invitation created for ${email}`)
	const linkInput = page.getByLabel('Invitation link')
	await expect(linkInput).toHaveValue(new RegExp(`^${new URL(page.url()).origin}/invitations/\\S+$`))
	return linkInput.inputValue()
}

/**
 * The invited colleague opens the link in a browser of their own (a second context), creates
 * the account and lands in the organisation as a learner; their context stays open for more.
 */
export async function joinAsNewAccount(
	browser: Browser,
	{ link, colleague, organisationName, organisationUrl }: { link: string; colleague: TestUser; organisationName: string; organisationUrl: string },
) {
	const context = await browser.newContext()
	const colleaguePage = await context.newPage()
	await colleaguePage.goto(link)
	await expect(colleaguePage.getByRole('heading', { name: `Join ${organisationName}` })).toBeVisible()
	await expect(colleaguePage.getByLabel('Email')).toHaveValue(colleague.email)
	await expect(colleaguePage.getByLabel('Email')).not.toBeEditable()
	await colleaguePage.getByLabel('Name').fill(colleague.name)
	await colleaguePage.getByLabel('Password').fill(colleague.password)
	await colleaguePage.getByRole('button', { name: 'Create account and join' }).click()
	await expect(colleaguePage).toHaveURL(organisationUrl)
	await expect(colleaguePage.getByRole('status')).toContainText(`Welcome to ${organisationName}.`)
	await expect(colleaguePage.getByRole('main')).toContainText('you are learner')
	return { context, page: colleaguePage }
}

/** joinAsNewAccount, then the colleague's browser is closed. */
export async function acceptInvitationAsNewAccount(browser: Browser, invitation: Parameters<typeof joinAsNewAccount>[1]) {
	const { context } = await joinAsNewAccount(browser, invitation)
	await context.close()
}

/**
 * Creates an organisation from the dashboard's link and returns its URL; the new admin lands
 * on it with the confirmation message.
 */
export async function createOrganisation(page: Page, organisationName: string) {
	await page.goto('/dashboard')
	await page.getByRole('main').getByRole('link', { name: 'Create an organisation' }).click()
	await page.getByLabel('Organisation name').fill(organisationName)
	await page.getByRole('button', { name: 'Create organisation' }).click()
	await expect(page).toHaveURL(/\/org\/[\w-]+$/)
	await expect(page.getByRole('status')).toContainText(`${organisationName} is ready`)
	await expect(page.getByRole('heading', { level: 1, name: organisationName })).toBeVisible()
	return page.url()
}
