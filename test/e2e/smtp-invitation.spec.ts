import { expect, test } from '@playwright/test'
import { acceptInvitationAsNewAccount, createOrganisation, newUser, uniqueId } from './helpers/accounts.ts'
import { messagesTo, signUpByEmail } from './helpers/mail.ts'
import { SMTP_APP_URL, type SinkMessage } from './support/smtp-sink-ports.ts'

// This spec runs against the second app server, the one with SMTP_URL pointing at the fake mail
// server (playwright.config.ts). The shared helpers navigate relative to baseURL, hence this line;
// the spec itself uses absolute URLs so it is plain which server it talks to.
test.use({ baseURL: SMTP_APP_URL })

test('an admin invites a colleague by email and the colleague joins through the emailed link', async ({ page, browser }) => {
	const admin = newUser('Admin')
	const colleague = newUser('Colleague')
	const organisationName = `Mailco ${uniqueId()}`

	// With email set up a new account confirms its address first, which creating an organisation needs.
	await signUpByEmail(page, admin)
	await expect(page).toHaveURL(`${SMTP_APP_URL}/dashboard`)

	const organisationUrl = await createOrganisation(page, organisationName)
	expect(organisationUrl.startsWith(`${SMTP_APP_URL}/org/`)).toBe(true)

	const orgNav = page.getByRole('navigation', { name: 'Organisation' })
	await orgNav.getByRole('link', { name: 'Invitations' }).click()
	await expect(page).toHaveURL(`${organisationUrl}/invitations`)
	await page.getByLabel('Email').fill(colleague.email)
	await page.getByLabel('Role').selectOption({ label: 'Learner' })
	await page.getByRole('button', { name: 'Send invitation' }).click()

	// Emailed: the page says so and does not show the link.
	await expect(page.getByRole('status')).toContainText(`Invitation queued for ${colleague.email}: it is being emailed now.`)
	await expect(page.getByLabel('Invitation link')).toHaveCount(0)
	await expect(page.getByRole('main')).not.toContainText('/invitations/')
	await expect(page.getByRole('row').filter({ hasText: colleague.email })).toBeVisible()

	// The email reached the mail server, addressed to the colleague and naming the organisation.
	let email: SinkMessage | undefined
	await expect
		.poll(async () => (email = (await messagesTo(colleague.email))[0]), { message: 'the invitation email reaches the sink', timeout: 15_000 })
		.toBeDefined()
	expect(email!.to).toEqual([colleague.email.toLowerCase()])
	expect(email!.subject).toBe(`${admin.name} invited you to ${organisationName} on Bulwark`)
	expect(email!.text).toContain(`${admin.name} invited you to join ${organisationName} on Bulwark`)
	const links = email!.text.match(new RegExp(`${SMTP_APP_URL}/invitations/[a-z0-9]+`, 'g')) ?? []
	expect(links, 'exactly one invitation link, on this server').toHaveLength(1)
	const link = links[0]!

	// The colleague opens the link in a browser of their own.
	await acceptInvitationAsNewAccount(browser, { link, colleague, organisationName, organisationUrl })

	// Back with the admin: the colleague is a member now, and the invitation is no longer open.
	await page.goto(`${organisationUrl}/members`)
	const row = page.getByRole('row').filter({ hasText: colleague.email })
	await expect(row).toBeVisible()
	await expect(row).toContainText(colleague.name)
	await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible()
	await expect(page.getByText('2 members', { exact: true })).toBeVisible()
	await page.goto(`${organisationUrl}/invitations`)
	await expect(page.getByRole('row').filter({ hasText: colleague.email })).toHaveCount(0)
})
