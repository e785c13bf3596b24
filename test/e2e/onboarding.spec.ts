import { expect, test } from '@playwright/test'
import { acceptInvitationAsNewAccount, createInvitationLink, createOrganisation, newUser, signUp, uniqueId } from './helpers/accounts.ts'

test('an admin creates an organisation and a colleague joins through an invitation link', async ({ page, browser, baseURL }) => {
	const admin = newUser('Admin')
	const colleague = newUser('Colleague')
	const organisationName = `Acme ${uniqueId()}`

	await signUp(page, admin)

	const organisationUrl = await createOrganisation(page, organisationName)

	const orgNav = page.getByRole('navigation', { name: 'Organisation' })
	await orgNav.getByRole('link', { name: 'Invitations' }).click()
	await expect(page).toHaveURL(`${organisationUrl}/invitations`)
	const link = await createInvitationLink(page, organisationUrl, colleague.email)
	expect(link.startsWith(`${baseURL}/invitations/`)).toBe(true)

	// The colleague opens the link in a browser of their own.
	await acceptInvitationAsNewAccount(browser, { link, colleague, organisationName, organisationUrl })

	// Back with the admin: the colleague is a member now.
	await orgNav.getByRole('link', { name: 'Members' }).click()
	await expect(page).toHaveURL(`${organisationUrl}/members`)
	const row = page.getByRole('row').filter({ hasText: colleague.email })
	await expect(row).toBeVisible()
	await expect(row).toContainText(colleague.name)
	await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible()
	await expect(page.getByText('2 members', { exact: true })).toBeVisible()
})
