import { describe, expect, test } from 'vitest'
import { countByState, deliveryState, retryDelayMs } from './delivery-state.ts'

const message = (fields: Partial<Parameters<typeof deliveryState>[0]>) => ({ deliveredAt: null, failedAt: null, attempts: 0, ...fields })

describe('delivery state', () => {
	test('a message not tried yet is being sent with mail configured, and waits without', () => {
		expect(deliveryState(message({}), true)).toBe('queued')
		expect(deliveryState(message({}), false)).toBe('waiting')
	})

	test('delivered, retrying, failed after attempts, discarded before any', () => {
		expect(deliveryState(message({ deliveredAt: new Date(), attempts: 2 }), true)).toBe('delivered')
		expect(deliveryState(message({ attempts: 1 }), true)).toBe('retrying')
		expect(deliveryState(message({ failedAt: new Date(), attempts: 5 }), true)).toBe('failed')
		expect(deliveryState(message({ failedAt: new Date(), attempts: 0 }), false)).toBe('discarded')
	})

	test('retries wait 1, 2, 4 and 8 minutes', () => {
		expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000])
	})

	test('counts add up by state', () => {
		const counts = countByState([message({}), message({ attempts: 1 }), message({ deliveredAt: '2026-12-04T10:00:00Z' })], false)
		expect(counts).toEqual({ delivered: 1, queued: 0, waiting: 1, retrying: 1, failed: 0, discarded: 0 })
	})
})
