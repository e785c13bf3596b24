import { randomUUID } from 'node:crypto'
import { expect, type Page } from '@playwright/test'

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

/** Signs up through the form and waits for the signed-in home page. */
export async function signUp(page: Page, user: TestUser) {
	await page.goto('/signup')
	await page.getByLabel('Name').fill(user.name)
	await page.getByLabel('Email').fill(user.email)
	await page.getByLabel('Password').fill(user.password)
	await page.getByRole('button', { name: 'Sign up' }).click()
	await expect(page).toHaveURL('/')
	await expect(page.getByRole('heading', { name: `Welcome, ${user.name}` })).toBeVisible()
}

/** Logs out through the header's account menu. */
export async function logOut(page: Page) {
	await page.getByText('Signed in as').click()
	await page.getByRole('button', { name: 'Log out' }).click()
	await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible()
}
