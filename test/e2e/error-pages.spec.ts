import net from 'node:net'
import { expect, type APIResponse, test } from '@playwright/test'
import { newUser } from './helpers/accounts.ts'

/**
 * Every error answer is the app's own error page: its layout, a readable message, and nothing of
 * the internals (route ids, Remix's developer wording, stack traces).
 */
async function expectErrorPage(response: APIResponse, status: number, message: RegExp) {
	expect(response.status()).toBe(status)
	expect(response.headers()['content-type']).toContain('text/html')
	const html = await response.text()
	expect(html).toContain('class="site-header"')
	expect(html).toContain('class="site-footer"')
	expect(html).toContain(`<p class="error-status">${status}</p>`)
	const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? ''
	expect(main).toMatch(message)
	// What the page shows names no route (the hydration manifest always lists route ids, as on every page).
	expect(main).not.toMatch(/routes\/|root&quot;|route &quot;/)
	// Nor does the page's data carry Remix's developer wording, a stack trace or a sanitised stand-in.
	for (const internal of [/did not provide an/, /No route matches/, /Unexpected Server Error/, /\bat [^ ]+ \(?\/[^)]+:\d+:\d+/, /URIError/]) {
		expect(html).not.toMatch(internal)
	}
	return html
}

test.describe('error pages', () => {
	test('404: an unknown address', async ({ request }) => {
		await expectErrorPage(await request.get('/no-such-page'), 404, /We could not find that page/)
	})

	test('405: a form sent to a page that takes none', async ({ request, baseURL }) => {
		const headers = { Origin: baseURL! }
		const post = await request.post('/dashboard', { headers, maxRedirects: 0 })
		await expectErrorPage(post, 405, /cannot take that kind of request/)
		expect(post.headers()['allow']).toBe('GET, HEAD')
	})

	test('405 with Allow for every method but GET, HEAD and POST, on pages and resource routes alike', async ({ request, baseURL }) => {
		const headers = { Origin: baseURL! }
		for (const response of [
			await request.delete('/', { headers }),
			await request.put('/healthz', { headers }),
			await request.patch('/login', { headers, form: { email: 'a@example.test', password: 'x' } }),
			await request.fetch('/healthz', { method: 'OPTIONS' }),
			await request.fetch('/org/northwind/compliance.csv', { method: 'OPTIONS' }),
		]) {
			await expectErrorPage(response, 405, /cannot take that kind of request/)
			expect(response.headers()['allow']).toBe('GET, HEAD, POST')
		}
	})

	test('400: a Host header no address can be made of, answered by the error page and logged by nobody', async ({ baseURL }) => {
		const { hostname, port } = new URL(baseURL!)
		for (const host of ['exa mple', 'localhost:99999', '[::1', '%']) {
			// A raw request: HTTP clients refuse to send such a header.
			const answer = await new Promise<string>((resolve, reject) => {
				const socket = net.connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname)
				let received = ''
				socket.on('data', (chunk) => (received += chunk.toString()))
				socket.on('end', () => resolve(received))
				socket.on('error', reject)
				socket.write(`GET /courses HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
			})
			expect(answer, host).toMatch(/^HTTP\/1\.1 400 /)
			expect(answer, host).toContain('<p class="error-status">400</p>')
			expect(answer, host).toContain('names no valid host')
		}
	})

	test('a resource route’s own message reaches its error page', async ({ playwright, baseURL }) => {
		const user = newUser('Pdf')
		const signedIn = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': `198.51.100.${Math.floor(Math.random() * 250) + 1}` } })
		await signedIn.post('/signup', { form: { name: user.name, email: user.email, password: user.password }, headers: { Origin: baseURL! } })
		await expectErrorPage(await signedIn.get('/certificates/AAAA-BBBB-CCCC-DDDD-EEEE.pdf'), 404, /could not find that certificate among yours/)
		await signedIn.dispose()
	})

	test('405: resource routes (health check, CSV export) sent the wrong method', async ({ request, baseURL }) => {
		const headers = { Origin: baseURL! }
		for (const response of [
			await request.post('/healthz', { headers }),
			await request.post('/org/northwind/compliance.csv', { headers }),
		]) {
			await expectErrorPage(response, 405, /can only be opened/)
			expect(response.headers()['allow']).toBe('GET, HEAD')
		}
	})

	test('400: a malformed % in the path, for anyone and any method', async ({ request, baseURL }) => {
		for (const path of ['/courses/%zz', '/org/%ZZ', '/%', '/assets/%zz.js']) {
			await expectErrorPage(await request.get(path), 400, /contains a % sign that is not followed by two hexadecimal digits/)
		}
		await expectErrorPage(await request.post('/org/%ZZ', { headers: { Origin: baseURL! } }), 400, /contains a % sign/)
	})

	test('400: the legacy ?_data= protocol', async ({ request }) => {
		await expectErrorPage(await request.get('/dashboard?_data=routes/dashboard'), 400, /no longer answers/)
		await expectErrorPage(await request.get('/?_data=root'), 400, /no longer answers/)
	})

	test("403 and 413 from the server's own checks are error pages too", async ({ request, baseURL }) => {
		await expectErrorPage(await request.post('/login', { headers: { Origin: 'https://evil.example' } }), 403, /did not come from a Bulwark page/)
		await expectErrorPage(
			await request.post('/login', { headers: { Origin: baseURL! }, data: 'x'.repeat(300 * 1024) }),
			413,
			/too large/,
		)
	})

	test('in the browser: the 404 page runs the app, the server-rendered 400 page is only a message', async ({ page }) => {
		const scriptErrors: string[] = []
		page.on('pageerror', (error) => scriptErrors.push(error.message))

		await page.goto('/no-such-page')
		await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible()
		await page.getByRole('banner').getByRole('link', { name: 'Courses' }).click()
		await expect(page).toHaveURL('/courses')

		const response = await page.goto('/courses/%zz')
		expect(response?.status()).toBe(400)
		await expect(page.getByRole('heading', { level: 1, name: 'That request could not be handled' })).toBeVisible()
		await expect(page.getByText('contains a % sign')).toBeVisible()
		await expect(page.locator('script')).toHaveCount(0)
		await page.getByRole('link', { name: 'Go to the start page' }).click()
		await expect(page).toHaveURL('/')
		expect(scriptErrors).toEqual([])
	})
})

test.describe('Cache-Control', () => {
	test('signed-in pages and data are private, no-store; public pages and assets keep their caching', async ({ playwright, baseURL }) => {
		const anonymous = await playwright.request.newContext({ baseURL })
		const courses = await anonymous.get('/courses')
		expect(courses.status()).toBe(200)
		expect(courses.headers()['cache-control'] ?? '').not.toContain('no-store')
		const asset = /href="(\/assets\/[^"]+\.css)"/.exec(await courses.text())?.[1]
		expect(asset).toBeTruthy()
		expect((await anonymous.get(asset!)).headers()['cache-control']).toBe('public, max-age=31536000, immutable')
		await anonymous.dispose()

		// Signs up by request, from an address of its own (the e2e server trusts one proxy hop).
		const user = newUser('Cache')
		const signedIn = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': `198.51.100.${Math.floor(Math.random() * 250) + 1}` } })
		const signup = await signedIn.post('/signup', { form: { name: user.name, email: user.email, password: user.password }, headers: { Origin: baseURL! }, maxRedirects: 0 })
		expect(signup.status()).toBe(302)
		expect(signup.headers()['cache-control']).toBe('private, no-store')
		for (const path of ['/dashboard', '/courses', '/dashboard.data', '/settings']) {
			const response = await signedIn.get(path)
			expect(response.status(), path).toBe(200)
			expect(response.headers()['cache-control'], path).toBe('private, no-store')
		}
		await signedIn.dispose()
	})
})
