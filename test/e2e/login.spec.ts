import { expect, test } from '@playwright/test'
import { logOut, newUser, SESSION_COOKIE, signUp } from './helpers/accounts.ts'

test('a wrong password is refused without a session; the right one signs in with a safe cookie', async ({ page, context }) => {
	const user = newUser('Login')
	await signUp(page, user)
	await logOut(page)
	expect((await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE)).toBeUndefined()

	await page.goto('/login')
	await page.getByLabel('Email').fill(user.email)
	await page.getByLabel('Password').fill(`${user.password} wrong`)
	await page.getByRole('button', { name: 'Log in' }).click()
	await expect(page.getByRole('alert')).toHaveText('The email address or password is incorrect.')
	await expect(page).toHaveURL(/\/login/)
	expect((await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE)).toBeUndefined()

	await page.getByLabel('Password').fill(user.password)
	await page.getByRole('button', { name: 'Log in' }).click()
	await expect(page).toHaveURL('/dashboard')
	await expect(page.getByRole('heading', { name: `Welcome, ${user.name}` })).toBeVisible()
	const session = (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE)
	expect(session).toBeDefined()
	expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' })
	expect(session!.value.length).toBeGreaterThan(20)
})
