import { expect, type Page } from '@playwright/test'
import { SMTP_APP_URL, SMTP_SINK_URL, type SinkMessage } from '../support/smtp-sink-ports.ts'
import { type TestUser } from './accounts.ts'

/** What the fake mail server received for this address, oldest first. */
export async function messagesTo(email: string): Promise<SinkMessage[]> {
	const response = await fetch(`${SMTP_SINK_URL}/messages?to=${encodeURIComponent(email)}`)
	if (!response.ok) throw new Error(`The SMTP sink answered ${response.status}`)
	return (await response.json()) as SinkMessage[]
}

/** Waits for the outbox worker to deliver a message with this subject to the address. */
export async function waitForEmail(email: string, subject: string) {
	let found: SinkMessage | undefined
	await expect
		.poll(async () => (found = (await messagesTo(email)).findLast((message) => message.subject === subject)), {
			message: `"${subject}" reaches ${email}`,
			timeout: 15_000,
		})
		.toBeDefined()
	return found!
}

/** The one link to `path` on the SMTP app in a message. */
export function linkIn(message: SinkMessage, path: string) {
	const links = message.text.match(new RegExp(`${SMTP_APP_URL}${path}/[a-z0-9]+`, 'g')) ?? []
	expect(links, `exactly one ${path} link, on this server`).toHaveLength(1)
	return links[0]!
}

/**
 * Signs up on the app with email set up: the page says to check the inbox, the emailed link
 * confirms the address, and log-in leads to the learner's dashboard.
 */
export async function signUpByEmail(page: Page, user: TestUser) {
	await page.goto('/signup')
	await page.getByLabel('Name').fill(user.name)
	await page.getByLabel('Email').fill(user.email)
	await page.getByLabel('Password').fill(user.password)
	await page.getByRole('button', { name: 'Sign up' }).click()
	await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible()
	await expect(page.getByRole('status')).toHaveText(`Check your inbox: we sent a link to ${user.email} to finish creating your account.`)

	const email = await waitForEmail(user.email, 'Confirm your email address for Bulwark')
	await page.goto(linkIn(email, '/verify-email'))
	await expect(page.getByRole('heading', { name: 'Confirm your email address' })).toBeVisible()
	await page.getByRole('button', { name: 'Confirm my address' }).click()
	await expect(page).toHaveURL(/\/login$/)
	await expect(page.getByRole('status')).toHaveText('Your email address is confirmed. Log in with the password you chose.')
	await logIn(page, user)
}

export async function logIn(page: Page, user: Pick<TestUser, 'email' | 'password' | 'name'>) {
	await page.getByLabel('Email').fill(user.email)
	await page.getByLabel('Password').fill(user.password)
	await page.getByRole('button', { name: 'Log in' }).click()
	await expect(page).toHaveURL(/\/dashboard$/)
	await expect(page.getByRole('heading', { name: `Welcome, ${user.name}` })).toBeVisible()
}
