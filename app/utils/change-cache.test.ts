import { describe, expect, test } from 'vitest'
import { EVERYONE, UserScopedCache } from './change-cache.server.ts'

type Row = { userId: string; value: string }
const userOf = (row: Row) => row.userId

function counted(row: Row | undefined) {
	let loads = 0
	return {
		load: async () => {
			loads++
			return row
		},
		get loads() {
			return loads
		},
	}
}

describe('UserScopedCache', () => {
	test('a kept value answers the next read without loading', async () => {
		const cache = new UserScopedCache<Row>()
		const source = counted({ userId: 'u1', value: 'a' })
		expect(await cache.read('k1', source.load, userOf)).toEqual({ userId: 'u1', value: 'a' })
		expect(await cache.read('k1', source.load, userOf)).toEqual({ userId: 'u1', value: 'a' })
		expect(source.loads).toBe(1)
	})

	test('nothing is kept for a key the database does not know', async () => {
		const cache = new UserScopedCache<Row>()
		const source = counted(undefined)
		await cache.read('k1', source.load, userOf)
		await cache.read('k1', source.load, userOf)
		expect(source.loads).toBe(2)
		expect(cache.size).toBe(0)
	})

	test("a change announced for one user forgets that user's values only", async () => {
		const cache = new UserScopedCache<Row>()
		await cache.read('k1', counted({ userId: 'u1', value: 'a' }).load, userOf)
		await cache.read('k2', counted({ userId: 'u1', value: 'b' }).load, userOf)
		await cache.read('k3', counted({ userId: 'u2', value: 'c' }).load, userOf)
		cache.invalidate('u1')
		expect(cache.size).toBe(1)
		const reloaded = counted({ userId: 'u1', value: 'a2' })
		expect(await cache.read('k1', reloaded.load, userOf)).toEqual({ userId: 'u1', value: 'a2' })
		expect(reloaded.loads).toBe(1)
		const other = counted({ userId: 'u2', value: 'never' })
		expect(await cache.read('k3', other.load, userOf)).toEqual({ userId: 'u2', value: 'c' })
		expect(other.loads).toBe(0)
	})

	test('a change announced for everyone forgets every value', async () => {
		const cache = new UserScopedCache<Row>()
		await cache.read('k1', counted({ userId: 'u1', value: 'a' }).load, userOf)
		await cache.read('k2', counted({ userId: 'u2', value: 'b' }).load, userOf)
		cache.invalidate(EVERYONE)
		expect(cache.size).toBe(0)
	})

	test('a load under way when a change is announced is returned but not kept: it may have read the old state', async () => {
		const cache = new UserScopedCache<Row>()
		let finish: (row: Row) => void = () => {}
		const pending = cache.read('k1', () => new Promise<Row>((resolve) => (finish = resolve)), userOf)
		cache.invalidate('someone-else')
		finish({ userId: 'u1', value: 'old' })
		expect(await pending).toEqual({ userId: 'u1', value: 'old' })
		expect(cache.size).toBe(0)
	})

	test('it holds at most 10,000 values, making room by forgetting the oldest', async () => {
		const cache = new UserScopedCache<Row>()
		for (let index = 0; index <= 10_000; index++) await cache.read(`k${index}`, async () => ({ userId: `u${index}`, value: 'v' }), userOf)
		expect(cache.size).toBe(10_000)
		const oldest = counted({ userId: 'u0', value: 'again' })
		await cache.read('k0', oldest.load, userOf)
		expect(oldest.loads).toBe(1)
		const newest = counted({ userId: 'u10000', value: 'never' })
		await cache.read('k10000', newest.load, userOf)
		expect(newest.loads).toBe(0)
	})
})
