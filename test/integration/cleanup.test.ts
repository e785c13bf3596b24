import { randomUUID } from 'node:crypto'
import { expect, test } from 'vitest'
import { deleteExpiredRecords } from '#app/modules/maintenance/cleanup.server.ts'
import { LONGEST_WINDOW_MS } from '#app/modules/rate-limit/rate-limit.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createUser } from '#tests/fixtures/users.ts'

test('deletes expired sessions and closed rate-limit windows, and keeps everything still in force', async () => {
	const user = await createUser()
	const now = new Date()
	const minute = 60_000
	const [expired, live] = [randomUUID(), randomUUID()]
	await prisma.session.createMany({
		data: [
			{ id: expired, userId: user.id, expiresAt: new Date(now.getTime() - minute) },
			{ id: live, userId: user.id, expiresAt: new Date(now.getTime() + minute) },
		],
	})
	const [closed, open] = [`cleanup:closed:${randomUUID()}`, `cleanup:open:${randomUUID()}`]
	await prisma.rateLimitBucket.createMany({
		data: [
			{ key: closed, count: 10, windowStart: new Date(now.getTime() - LONGEST_WINDOW_MS - minute) },
			// Open under an hour-long policy (sign-ups, reset requests), though past a log-in window.
			{ key: open, count: 10, windowStart: new Date(now.getTime() - LONGEST_WINDOW_MS + minute) },
		],
	})

	const deleted = await deleteExpiredRecords(now)

	expect(deleted.sessions).toBeGreaterThanOrEqual(1)
	expect(deleted.rateLimitBuckets).toBeGreaterThanOrEqual(1)
	const sessions = await prisma.session.findMany({ where: { id: { in: [expired, live] } }, select: { id: true } })
	expect(sessions.map((session) => session.id)).toEqual([live])
	const buckets = await prisma.rateLimitBucket.findMany({ where: { key: { in: [closed, open] } }, select: { key: true } })
	expect(buckets.map((bucket) => bucket.key)).toEqual([open])
})
