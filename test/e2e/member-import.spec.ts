import { expect, test } from '@playwright/test'
import { acceptInvitationAsNewAccount, createInvitationLink, createOrganisation, newUser, signUp, uniqueId } from './helpers/accounts.ts'

/** A file as German Excel saves "CSV UTF-8": a byte order mark, semicolons, CRLF. */
const germanExcelCsv = (lines: string[]) => ({ name: 'mitglieder.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8') })

test('an admin previews a German Excel CSV, sees what would change, applies it and finds the members and invitations', async ({ page, browser }) => {
	const admin = newUser('Importer')
	await signUp(page, admin)
	const organisationName = `Import Org ${uniqueId()}`
	const organisationUrl = await createOrganisation(page, organisationName)
	const colleague = newUser('Colleague')
	const link = await createInvitationLink(page, organisationUrl, colleague.email)
	await acceptInvitationAsNewAccount(browser, { link, colleague, organisationName, organisationUrl })
	const newcomer = `neu-${uniqueId()}@example.test`

	await page.goto(`${organisationUrl}/members`)
	await page.getByRole('link', { name: 'Import from CSV' }).click()
	await expect(page.getByRole('heading', { name: 'Import members from a CSV file' })).toBeVisible()

	// A wrong line: every problem by its line, and nothing to apply.
	await page.getByLabel('CSV file', { exact: true }).setInputFiles(germanExcelCsv(['E-Mail;Name;Abteilung;Rolle', `${newcomer};Neu;Vertrieb;Chef`, `${colleague.email};=1+1;;`]))
	await page.getByRole('button', { name: 'Preview import' }).click()
	const problems = page.getByRole('alert')
	await expect(problems).toContainText('The file cannot be imported: 2 problems.')
	await expect(problems).toContainText('Line 2: “Chef” is not a role.')
	await expect(problems).toContainText('Line 3: The cell “=1+1” starts like a spreadsheet formula')
	await expect(page.getByRole('button', { name: 'Apply import' })).toHaveCount(0)

	await page
		.getByLabel('CSV file', { exact: true })
		.setInputFiles(germanExcelCsv(['E-Mail-Adresse;Name;Abteilung;Rolle;Personalnummer', `${admin.email};;;;1`, `${colleague.email};;Vertrieb;Führungskraft;2`, `${newcomer};Neu Ling;Vertrieb;Lernende(r);3`]))
	await page.getByRole('button', { name: 'Preview import' }).click()

	const preview = page.getByRole('region', { name: 'Preview' })
	await expect(preview).toContainText('Columns not used: Personalnummer.')
	await expect(preview.getByRole('heading', { name: 'Invitations (1)' })).toBeVisible()
	await expect(preview.getByRole('table', { name: 'People who will be invited' })).toContainText(`${newcomer}Neu LingLearnerVertrieb`)
	await expect(preview.getByRole('table', { name: 'Members whose role or department changes' })).toContainText('Learner → ManagerNo department → Vertrieb')
	await expect(preview.getByRole('heading', { name: 'New departments (1)' })).toBeVisible()
	await expect(preview.getByRole('heading', { name: 'Members not in the file (0)' })).toBeVisible()

	await page.getByRole('button', { name: 'Apply import' }).click()
	const applied = page.getByRole('status')
	await expect(applied).toContainText('Import applied: 1 invited, 1 updated, 0 deactivated. Email is not configured, so the invitations wait in the outbox.')
	await expect(page.getByLabel('Invitation links (email, link)')).toHaveValue(new RegExp(`^email,link\\n${newcomer.replace('.', '\\.')},http://localhost:\\d+/invitations/\\S+$`))

	await page.goto(`${organisationUrl}/members`)
	await expect(page.getByLabel(`Role of ${colleague.name}`)).toHaveValue('MANAGER')
	await expect(page.getByLabel(`Department of ${colleague.name}`).locator('option:checked')).toHaveText('Vertrieb')
	await page.goto(`${organisationUrl}/invitations`)
	await expect(page.getByRole('main')).toContainText(newcomer)
	await page.goto(`${organisationUrl}/outbox`)
	await expect(page.getByRole('main')).toContainText(newcomer)
})
