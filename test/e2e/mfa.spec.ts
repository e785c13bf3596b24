import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { expect, type Page, test } from '@playwright/test'
import { totpCodeForStep, totpStepAt } from '../../app/modules/auth/mfa/totp.ts'
import { logOut, newUser, type TestUser, signUp } from './helpers/accounts.ts'

async function logInWithPassword(page: Page, user: TestUser) {
	await page.goto('/login')
	await page.getByLabel('Email').fill(user.email)
	await page.getByLabel('Password').fill(user.password)
	await page.getByRole('button', { name: 'Log in' }).click()
}

/** The recovery codes shown once after the first factor is set up; the test saves them and goes on. */
async function saveRecoveryCodes(page: Page) {
	await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible()
	await expect(page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10)
	await page.getByRole('link', { name: 'I have saved them, continue' }).click()
}

test('TOTP: set up from the key shown as text, then log-in asks for a code after the password', async ({ page }) => {
	const user = newUser('Totp')
	await signUp(page, user)
	await page.goto('/settings')
	await page.getByRole('link', { name: 'Second factors, passkeys and recovery codes' }).click()
	await page.getByRole('link', { name: 'Set up an authenticator app' }).click()
	await page.getByRole('button', { name: 'Show the set-up code' }).click()
	await expect(page.getByRole('img', { name: 'QR code of your authenticator set-up key' })).toBeVisible()

	// What a person types into their app when they cannot scan the code.
	const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '')
	const key = decodeBase32IgnorePadding(secret)
	await page.getByLabel('Six-digit code').fill(totpCodeForStep(key, totpStepAt(new Date())))
	await page.getByRole('button', { name: 'Turn on' }).click()
	await expect(page.getByRole('status')).toContainText('logging in asks for a code')
	await saveRecoveryCodes(page)
	await expect(page.getByRole('region', { name: 'Authenticator app' })).toContainText('On.')
	await logOut(page)

	await logInWithPassword(page, user)
	await expect(page).toHaveURL('/login/second-factor')
	await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible()
	await page.getByLabel('Code from your authenticator app').fill('000000')
	await page.getByRole('button', { name: 'Continue' }).click()
	await expect(page.getByText('That code is not right')).toBeVisible()
	// The code the app shows next: the one used to turn it on may not be used again.
	await page.getByLabel('Code from your authenticator app').fill(totpCodeForStep(key, totpStepAt(new Date()) + 1))
	await page.getByRole('button', { name: 'Continue' }).click()
	await expect(page).toHaveURL('/dashboard')
	await expect(page.getByRole('heading', { name: `Welcome, ${user.name}` })).toBeVisible()
})

test('passkey: added in Chromium’s virtual authenticator, then signs in without a password and as the second factor', async ({ page, context }) => {
	const cdp = await context.newCDPSession(page)
	await cdp.send('WebAuthn.enable')
	await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
	})

	const user = newUser('Passkey')
	await signUp(page, user)
	await page.goto('/settings/security')
	await page.getByLabel('Name of the new passkey').fill('Test laptop')
	await page.getByRole('button', { name: 'Add a passkey' }).click()
	await saveRecoveryCodes(page)
	const passkeys = page.getByRole('region', { name: 'Passkeys' })
	await expect(passkeys).toContainText('Test laptop')
	await expect(passkeys).toContainText('not used yet')
	await logOut(page)

	await page.goto('/login')
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
	await expect(page).toHaveURL('/dashboard')
	await expect(page.getByRole('heading', { name: `Welcome, ${user.name}` })).toBeVisible()
	await logOut(page)

	await logInWithPassword(page, user)
	await expect(page).toHaveURL('/login/second-factor')
	await page.getByRole('button', { name: 'Use your passkey' }).click()
	await expect(page).toHaveURL('/dashboard')

	await page.goto('/settings/security')
	await expect(passkeys).toContainText('last used')
	await expect(page.getByRole('region', { name: 'Recent changes' })).toContainText('Passkey added · Test laptop')
})
