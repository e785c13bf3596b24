import { randomUUID } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { createOrganisation, newUser, signUp, uniqueId } from './helpers/accounts.ts'

test('an admin creates a SCIM token, sees it once, an identity provider uses it, and the admin revokes it', async ({ page, playwright, baseURL }) => {
	const admin = newUser('Provisioner')
	await signUp(page, admin)
	const organisationUrl = await createOrganisation(page, `Provisioned ${uniqueId()}`)
	const slug = new URL(organisationUrl).pathname.split('/').pop()

	await page.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Provisioning' }).click()
	await expect(page.getByRole('heading', { name: 'Provisioning (SCIM)' })).toBeVisible()
	await expect(page.getByLabel('SCIM tenant URL')).toHaveValue(`${baseURL}/scim/v2/${slug}`)
	await page.getByLabel('Token name').fill('Entra ID')
	await page.getByRole('button', { name: 'Create token' }).click()
	await expect(page.getByRole('status')).toContainText('it is shown only once')
	const token = await page.getByLabel('SCIM token').inputValue()
	expect(token).toMatch(/^[a-z2-7]{32}$/)

	// The identity provider, server to server: a bearer token, no cookie, no Origin, PATCH allowed.
	const provider = await playwright.request.newContext({
		baseURL,
		extraHTTPHeaders: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json', 'X-Forwarded-For': `2001:db8:5c1:${randomUUID().slice(0, 4)}::1` },
	})
	const email = `provisioned-${uniqueId()}@example.test`
	const created = await provider.post(`/scim/v2/${slug}/Users`, {
		data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: email, displayName: 'Provisioned Person', active: true },
	})
	expect(created.status()).toBe(201)
	expect(created.headers()['content-type']).toContain('application/scim+json')
	const { id } = (await created.json()) as { id: string }
	const disabled = await provider.patch(`/scim/v2/${slug}/Users/${id}`, {
		data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
	})
	expect(disabled.status()).toBe(200)
	expect(((await disabled.json()) as { active: boolean }).active).toBe(false)

	// Shown once: the page no longer has it; the list says it was used.
	await page.reload()
	await expect(page.getByLabel('SCIM token')).toHaveCount(0)
	const row = page.getByRole('row', { name: /Entra ID/ })
	await expect(row).toContainText('Active')
	await expect(row).not.toContainText('Never')

	await row.getByRole('button', { name: /Revoke/ }).click()
	await expect(page.getByRole('status')).toContainText('Token revoked')
	await expect(page.getByRole('row', { name: /Entra ID/ })).toContainText('Revoked')
	const refused = await provider.get(`/scim/v2/${slug}/Users`)
	expect(refused.status()).toBe(401)
	expect(((await refused.json()) as { detail: string }).detail).toMatch(/revoked/)
	await provider.dispose()

	// The audit log names the token as the one who acted.
	await page.goto(`${organisationUrl}/audit`)
	await expect(page.getByRole('row', { name: /Provisioned a member/ })).toContainText('SCIM token “Entra ID”')
	await expect(page.getByRole('row', { name: /Deactivated a member/ })).toContainText(email)
})
