import { expect, test } from '@playwright/test'

test('the home page sends strict security headers and nonces every inline script', async ({ request }) => {
	const response = await request.get('/')
	expect(response.status()).toBe(200)
	const headers = response.headers()

	const csp = headers['content-security-policy'] ?? ''
	const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
	expect(nonce, `no nonce in CSP: ${csp}`).toBeTruthy()
	expect(csp).toContain("frame-ancestors 'none'")
	expect(csp).toContain("object-src 'none'")
	expect(csp).not.toContain("'unsafe-inline'")
	expect(headers['x-content-type-options']).toBe('nosniff')
	expect(headers['referrer-policy']).toBeTruthy()
	expect(headers['permissions-policy']).toContain('camera=()')
	expect(headers['strict-transport-security']).toMatch(/max-age=\d+/)
	expect(headers['x-powered-by']).toBeUndefined()

	// Browsers hide nonce attributes from the DOM, so read the raw HTML.
	const html = await response.text()
	const inlineScripts = [...html.matchAll(/<script\b([^>]*)>/gi)].map((match) => match[1]!).filter((attributes) => !/\bsrc=/i.test(attributes))
	expect(inlineScripts.length).toBeGreaterThan(0)
	for (const attributes of inlineScripts) expect(attributes).toContain(`nonce="${nonce}"`)

	// A fresh nonce per response.
	const again = await request.get('/')
	expect(again.headers()['content-security-policy']).not.toContain(`'nonce-${nonce}'`)
})

test('a state-changing request from a foreign origin is refused', async ({ request }) => {
	const response = await request.post('/logout', { headers: { Origin: 'https://evil.example' }, maxRedirects: 0 })
	expect(response.status()).toBe(403)
})

test('the health check answers ok', async ({ request }) => {
	const response = await request.get('/healthz')
	expect(response.status()).toBe(200)
	expect(await response.json()).toMatchObject({ status: 'ok' })
})

test('the sign-up page runs without Content Security Policy violations', async ({ page }) => {
	const cspErrors: string[] = []
	page.on('console', (message) => {
		if (message.type() === 'error' && /content security policy|refused to/i.test(message.text())) cspErrors.push(message.text())
	})
	// Also catch violations the console might not report.
	await page.addInitScript(() => {
		const violations: string[] = []
		Object.assign(window, { __cspViolations: violations })
		document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective}: ${event.blockedURI}`))
	})

	await page.goto('/signup', { waitUntil: 'networkidle' })
	await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible()
	// Client-side validation needs hydrated scripts, so it shows the nonced scripts ran.
	await page.getByLabel('Email').fill('not-an-email')
	await page.getByLabel('Email').blur()
	await expect(page.getByText('Enter a valid email address')).toBeVisible()

	expect(cspErrors).toEqual([])
	expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([])
})
