import { expect, test } from '@playwright/test'
import { createOrganisation, newUser, signUp, uniqueId } from './helpers/accounts.ts'
import { TEST_PROVIDER_ISSUER } from './support/oidc-provider-port.ts'

// The provider's static client (test/e2e/support/oidc-provider.ts).
const CLIENT_ID = 'bulwark-tests'
const CLIENT_SECRET = 'test-provider-client-secret-not-for-production'

test('an admin sets up single sign-on and a colleague signs in through the provider’s pages, joining just in time', async ({ page, browser }) => {
	const admin = newUser('SsoAdmin')
	await signUp(page, admin)
	const organisationName = `SSO Org ${uniqueId()}`
	const organisationUrl = await createOrganisation(page, organisationName)
	const domain = `corp-${uniqueId()}.test`

	await page.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Single sign-on' }).click()
	await expect(page.getByTestId('redirect-uri')).toHaveText('http://localhost:3100/sso/callback')
	await page.getByLabel('Issuer URL').fill(TEST_PROVIDER_ISSUER)
	await page.getByLabel('Client id').fill(CLIENT_ID)
	await page.getByLabel('Client secret').fill(CLIENT_SECRET)
	await page.getByLabel('Email domains').fill(domain)
	await page.getByLabel('Role of people who join by signing in').selectOption({ label: 'Learner' })
	await page.getByRole('button', { name: 'Save' }).click()
	await expect(page.getByRole('status').first()).toContainText('Single sign-on settings saved.')
	// The secret is never shown again, only that one is set.
	await expect(page.getByLabel('Client secret')).toHaveValue('')
	await expect(page.getByText('Set — enter a new one to replace it.')).toBeVisible()
	await page.getByRole('button', { name: 'Test connection' }).click()
	await expect(page.getByText('Connected:')).toBeVisible()

	const colleague = await browser.newPage()
	const email = `colleague-${uniqueId()}@${domain}`
	await colleague.goto('/login')
	await colleague.getByRole('link', { name: 'Sign in with SSO' }).click()
	await colleague.getByLabel('Work email').fill(email)
	await colleague.getByRole('button', { name: 'Continue' }).click()

	// The provider's own log-in and consent pages.
	await expect(colleague).toHaveURL(new RegExp(`^${TEST_PROVIDER_ISSUER}/interaction/`))
	await colleague.locator('input[name="login"]').fill(email)
	await colleague.locator('input[name="password"]').fill('any password')
	await colleague.getByRole('button', { name: 'Sign-in' }).click()
	await colleague.getByRole('button', { name: 'Continue' }).click()

	await expect(colleague).toHaveURL(organisationUrl)
	await expect(colleague.getByRole('heading', { level: 1, name: organisationName })).toBeVisible()
	await expect(colleague.getByText('you are learner')).toBeVisible()
	// No code or state stays in the address bar.
	expect(new URL(colleague.url()).search).toBe('')
	await colleague.close()
})

test('the provider’s answer cannot be replayed', async ({ page }) => {
	await page.goto('/sso/callback?code=replayed-code&state=replayed-state')
	await expect(page.getByText('This sign-in has expired or was already used.')).toBeVisible()
})
