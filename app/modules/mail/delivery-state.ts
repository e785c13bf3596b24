// What happened to a message, in the words the outbox and the reminder screens use.

export type DeliveryState = 'delivered' | 'queued' | 'waiting' | 'retrying' | 'failed' | 'discarded'

export type DeliveryFields = { deliveredAt: Date | string | null; failedAt: Date | string | null; attempts: number }

/** `emailConfigured`: whether a waiting message is on its way (SMTP set) or waits for mail to be set up. */
export function deliveryState(message: DeliveryFields, emailConfigured: boolean): DeliveryState {
	if (message.deliveredAt) return 'delivered'
	if (message.failedAt) return message.attempts === 0 ? 'discarded' : 'failed'
	if (message.attempts > 0) return 'retrying'
	return emailConfigured ? 'queued' : 'waiting'
}

export const DELIVERY_STATE_LABELS: Record<DeliveryState, string> = {
	delivered: 'Delivered',
	queued: 'Being sent',
	waiting: 'Waiting: email is not configured',
	retrying: 'Not delivered yet, trying again',
	failed: 'Failed',
	discarded: 'Discarded unsent (out of date)',
}

/** Retries after 1, 2, 4 and 8 minutes; the fifth failed attempt is the last. */
export const MAX_DELIVERY_ATTEMPTS = 5
export const retryDelayMs = (attempts: number) => 2 ** (attempts - 1) * 60_000

export type DeliveryCounts = Record<DeliveryState, number>

/** Messages by state; a row with `count` stands for that many messages in the same state. */
export function countByState(messages: (DeliveryFields & { count?: number })[], emailConfigured: boolean): DeliveryCounts {
	const counts: DeliveryCounts = { delivered: 0, queued: 0, waiting: 0, retrying: 0, failed: 0, discarded: 0 }
	for (const message of messages) counts[deliveryState(message, emailConfigured)] += message.count ?? 1
	return counts
}
