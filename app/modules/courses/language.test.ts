import { describe, expect, test } from 'vitest'
import { recalled } from '#app/utils/remember.server.ts'
import { preferredLanguage } from './language.server.ts'

const request = (acceptLanguage?: string) =>
	new Request('http://localhost/courses', acceptLanguage === undefined ? {} : { headers: { 'Accept-Language': acceptLanguage } })

describe('preferredLanguage', () => {
	test('the signed-in learner’s setting wins over the browser', () => {
		expect(preferredLanguage(request('de-DE,de;q=0.9'), { language: 'en' })).toBe('en')
		expect(preferredLanguage(request('en-GB,en;q=0.9'), { language: 'de' })).toBe('de')
		expect(preferredLanguage(request(), { language: 'de' })).toBe('de')
	})

	test.each([
		['de-DE,de;q=0.9,en;q=0.8', 'de'],
		['fr, de;q=0.5', 'de'],
		['fr', 'en'],
		['', 'en'],
		['en-US,en;q=0.9,de;q=0.8', 'en'],
		['de;q=0.5, en;q=0.9', 'en'], // by quality, not by position
		['de;q=0, fr', 'en'], // q=0 means "not this one"
		['de;q=0', 'en'],
		['DE-at', 'de'],
		['fr-CH, fr;q=0.9, de; q=0.7, *;q=0.5', 'de'],
		['*', 'en'],
		['de;q=nonsense, fr', 'en'],
	])('visitor with Accept-Language %j gets %s', (header, language) => {
		expect(preferredLanguage(request(header), null)).toBe(language)
	})

	test('a visitor without an Accept-Language header gets English', () => {
		expect(preferredLanguage(request(), null)).toBe('en')
		expect(preferredLanguage(request(), undefined)).toBe('en')
	})

	test('importing the module opens no database', () => {
		// language.server.ts imports db.server.ts (for setLanguage); the Prisma client is built on
		// import but opens PGlite only on its first query, so this test touches no data directory.
		expect(recalled('pglite')).toBeUndefined()
	})
})
