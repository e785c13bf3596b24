import { expect, test } from '@playwright/test'
import { logOut, newUser, SESSION_COOKIE } from './helpers/accounts.ts'
import { linkIn, logIn, messagesTo, signUpByEmail, waitForEmail } from './helpers/mail.ts'
import { SMTP_APP_URL } from './support/smtp-sink-ports.ts'

// On the app server with email set up (playwright.config.ts): the reset link is read from the
// test mail server, as its owner would read it.
test.use({ baseURL: SMTP_APP_URL })

const NEW_PASSWORD = 'lantern orchard beneath copper rain'

test('a forgotten password is reset through the emailed link, which works once and ends every session', async ({ page, browser }) => {
	const user = newUser('Forgetful')
	await signUpByEmail(page, user)

	// Signed in on a second device too: the reset must end that session as well.
	const otherDevice = await browser.newContext()
	const otherPage = await otherDevice.newPage()
	await otherPage.goto(`${SMTP_APP_URL}/login`)
	await logIn(otherPage, user)
	await logOut(page)

	await page.goto(`${SMTP_APP_URL}/login`)
	await page.getByRole('link', { name: 'Forgot password?' }).click()
	await expect(page).toHaveURL(`${SMTP_APP_URL}/forgot-password`)
	await page.getByLabel('Email').fill(user.email)
	await page.getByRole('button', { name: 'Email me a reset link' }).click()
	const requested = 'If an account exists for that address, we sent it a link to choose a new password. It works once within an hour.'
	await expect(page.getByRole('status')).toHaveText(requested)

	// An address without an account gets the same answer, and no email.
	const stranger = newUser('Stranger').email
	await page.goto(`${SMTP_APP_URL}/forgot-password`)
	await page.getByLabel('Email').fill(stranger)
	await page.getByRole('button', { name: 'Email me a reset link' }).click()
	await expect(page.getByRole('status')).toHaveText(requested)

	const email = await waitForEmail(user.email, 'Reset your Bulwark password')
	const link = linkIn(email, '/reset-password')
	await page.goto(link)
	await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible()
	// The token leaves the address bar once the page has it in its form.
	await expect(page).toHaveURL(`${SMTP_APP_URL}/reset-password`)
	await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
	await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD)
	await page.getByRole('button', { name: 'Set new password' }).click()
	await expect(page).toHaveURL(`${SMTP_APP_URL}/login`)
	await expect(page.getByRole('status')).toHaveText('Your password was changed and every session was logged out. Log in with the new password.')

	// The owner is told, and the other device is signed out.
	await waitForEmail(user.email, 'Your Bulwark password was changed')
	await otherPage.goto(`${SMTP_APP_URL}/dashboard`)
	await expect(otherPage).toHaveURL(/\/login\?redirectTo=%2Fdashboard$/)
	expect((await otherDevice.cookies()).find((cookie) => cookie.name === SESSION_COOKIE)).toBeUndefined()
	await otherDevice.close()

	// The old password no longer works, the new one does.
	await page.getByLabel('Email').fill(user.email)
	await page.getByLabel('Password').fill(user.password)
	await page.getByRole('button', { name: 'Log in' }).click()
	await expect(page.getByRole('alert')).toHaveText('The email address or password is incorrect.')
	await logIn(page, { ...user, password: NEW_PASSWORD })

	// The link worked once.
	await page.goto(link)
	await expect(page.getByRole('alert')).toHaveText('This reset link has expired or was used already. Each link works once within an hour; ask for a new one.')
	expect(await messagesTo(stranger)).toEqual([])
})
