import { describe, expect, test } from 'vitest'
import { byUrgency, emptyStatusCounts, meetsRequirement, percentCompliant, type RequirementStatus, totalOf } from './status.ts'

describe('percentCompliant', () => {
	test('counts expiring as compliant and rounds down, so one member short never reads 100 %', () => {
		expect(percentCompliant({ ...emptyStatusCounts(), COMPLIANT: 199, EXPIRING: 0, OVERDUE: 1 })).toBe(99)
		expect(percentCompliant({ ...emptyStatusCounts(), COMPLIANT: 1, EXPIRING: 1, DUE: 1 })).toBe(66)
		expect(percentCompliant({ ...emptyStatusCounts(), EXPIRING: 3 })).toBe(100)
	})

	test('is null when nobody is counted', () => {
		expect(percentCompliant(emptyStatusCounts())).toBeNull()
	})

	test('totalOf adds every status', () => {
		expect(totalOf({ OVERDUE: 1, DUE: 2, EXPIRING: 3, COMPLIANT: 4 })).toBe(10)
	})
})

describe('meetsRequirement', () => {
	test.each([
		['COMPLIANT', true],
		['EXPIRING', true],
		['DUE', false],
		['OVERDUE', false],
	] as const)('%s: %s', (status, meets) => {
		expect(meetsRequirement(status)).toBe(meets)
	})
})

describe('byUrgency', () => {
	test('puts overdue first, then due, expiring and compliant, each by the earlier due date', () => {
		const row = (status: RequirementStatus, day: number) => ({ status, dueOn: new Date(Date.UTC(2027, 0, day)) })
		const rows = [row('COMPLIANT', 1), row('DUE', 9), row('OVERDUE', 5), row('EXPIRING', 2), row('DUE', 3), row('OVERDUE', 1)]
		expect(rows.sort(byUrgency).map(({ status, dueOn }) => `${status} ${dueOn.getUTCDate()}`)).toEqual([
			'OVERDUE 1',
			'OVERDUE 5',
			'DUE 3',
			'DUE 9',
			'EXPIRING 2',
			'COMPLIANT 1',
		])
	})
})
