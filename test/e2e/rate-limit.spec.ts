import { expect, test } from '@playwright/test'

test('the 11th failed log-in for one account answers 429 with Retry-After and a readable message', async ({ request, baseURL }) => {
	// An address from TEST-NET-3 unique to this run; the e2e server trusts one proxy hop.
	const clientIp = `203.0.113.${Math.floor(Math.random() * 250) + 1}`
	const email = `rate-limit-${Date.now()}@example.test`
	const attempt = () =>
		request.post('/login', {
			form: { email, password: 'not the right password at all' },
			headers: { Origin: baseURL!, 'X-Forwarded-For': clientIp },
			maxRedirects: 0,
		})

	for (let failure = 1; failure <= 10; failure++) {
		expect((await attempt()).status(), `failure ${failure}`).toBe(400)
	}
	const refused = await attempt()
	expect(refused.status()).toBe(429)
	const retryAfter = Number(refused.headers()['retry-after'])
	expect(retryAfter).toBeGreaterThan(0)
	expect(retryAfter).toBeLessThanOrEqual(15 * 60)
	expect(await refused.text()).toContain('Too many failed log-in attempts')
})
