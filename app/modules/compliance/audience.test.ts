import { describe, expect, test } from 'vitest'
import { labelRequirements } from './audience.ts'

const requirement = (courseSlug: string, audienceLabel: string, { dueWithinDays = 30, recurrenceMonths = 12 as number | null, day = 1 } = {}) => ({
	courseSlug,
	courseTitle: courseSlug === 'phishing' ? 'Phishing' : 'Passwords',
	audienceLabel,
	dueWithinDays,
	recurrenceMonths,
	createdAt: new Date(Date.UTC(2027, 0, day)),
})

const labels = (requirements: ReturnType<typeof requirement>[]) =>
	labelRequirements(requirements).map(({ label, audienceLabel, distinguishedBy }) => ({ label, audienceLabel, distinguishedBy }))

describe('labelRequirements', () => {
	test('a course required once is named by its title', () => {
		expect(labels([requirement('phishing', 'Everyone'), requirement('passwords', 'Sales')])).toEqual([
			{ label: 'Phishing', audienceLabel: 'Everyone', distinguishedBy: null },
			{ label: 'Passwords', audienceLabel: 'Sales', distinguishedBy: null },
		])
	})

	test('a course required twice is named with whom each requirement is for', () => {
		expect(labels([requirement('phishing', 'Everyone'), requirement('phishing', 'Sales'), requirement('passwords', 'Everyone')]).map(({ label }) => label)).toEqual([
			'Phishing — Everyone',
			'Phishing — Sales',
			'Passwords',
		])
	})

	test('for the same people, by their terms; with the same terms too, by the order they were added', () => {
		const result = labels([
			requirement('phishing', 'Sales', { dueWithinDays: 14, day: 3 }),
			requirement('phishing', 'Sales', { recurrenceMonths: null, day: 2 }),
			requirement('phishing', 'Everyone', { day: 9 }),
			requirement('phishing', 'Everyone', { day: 4 }),
			requirement('phishing', 'Finance'),
		])
		expect(result.map(({ label }) => label)).toEqual([
			'Phishing — Sales (14 days, every 12 months)',
			'Phishing — Sales (30 days, renewed with the course’s validity)',
			'Phishing — Everyone (30 days, every 12 months) #2',
			'Phishing — Everyone (30 days, every 12 months) #1',
			'Phishing — Finance',
		])
		expect(new Set(result.map(({ audienceLabel }) => audienceLabel)).size).toBe(result.length)
	})
})
