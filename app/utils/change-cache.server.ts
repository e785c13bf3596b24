import { listenToEmbeddedDatabase, usesEmbeddedDatabase } from './db.server.ts'
import { remember } from './remember.server.ts'

/**
 * The channel the database announces changes on (migration 20261201200000_change_notifications):
 * the payload is the id of the user whose sessions, memberships or learning records changed, or
 * `*` when a change may concern anyone (an organisation renamed, a table truncated).
 */
const CHANGE_CHANNEL = 'bulwark_change'
export const EVERYONE = '*'
const MAX_ENTRIES = 10_000
const RETRY_LISTENING_MS = 5_000

/**
 * Values read from the database, each belonging to one user, kept until the database announces a
 * change to that user's rows. A load that was under way when any announcement came may have read
 * the old state, so its result is returned but not kept (the generation tells).
 */
export class UserScopedCache<Value> {
	#entries = new Map<string, { userId: string; value: Value }>()
	#keysByUser = new Map<string, Set<string>>()
	#generation = 0

	async read(key: string, load: () => Promise<Value | undefined>, userOf: (value: Value) => string): Promise<Value | undefined> {
		const cached = this.#entries.get(key)
		if (cached) return cached.value
		const generation = this.#generation
		const value = await load()
		if (value !== undefined && generation === this.#generation) this.#keep(key, userOf(value), value)
		return value
	}

	#keep(key: string, userId: string, value: Value) {
		// Bounded: the oldest entry makes room (a Map iterates in insertion order).
		if (this.#entries.size >= MAX_ENTRIES) this.#forget(this.#entries.keys().next().value!)
		this.#entries.set(key, { userId, value })
		const keys = this.#keysByUser.get(userId) ?? this.#keysByUser.set(userId, new Set()).get(userId)!
		keys.add(key)
	}

	#forget(key: string) {
		const entry = this.#entries.get(key)
		if (!entry) return
		this.#entries.delete(key)
		const keys = this.#keysByUser.get(entry.userId)
		keys?.delete(key)
		if (keys?.size === 0) this.#keysByUser.delete(entry.userId)
	}

	/** Forgets what belongs to `userId`, or everything for EVERYONE. */
	invalidate(userId: string) {
		this.#generation++
		if (userId === EVERYONE) {
			this.#entries.clear()
			this.#keysByUser.clear()
			return
		}
		for (const key of this.#keysByUser.get(userId) ?? []) this.#entries.delete(key)
		this.#keysByUser.delete(userId)
	}

	get size() {
		return this.#entries.size
	}
}

type CacheRegistry = {
	caches: Map<string, UserScopedCache<unknown>>
	/** Forgets what belongs to the user (or EVERYONE) in every cache. */
	invalidate: (userId: string) => void
	listening: Promise<boolean> | undefined
}

function cacheRegistry() {
	return remember<CacheRegistry>('change-caches', () => {
		const caches = new Map<string, UserScopedCache<unknown>>()
		return {
			caches,
			invalidate: (userId) => {
				for (const cache of caches.values()) cache.invalidate(userId)
			},
			listening: undefined,
		}
	})
}

/**
 * The cache named `name` on the embedded database (docs/decisions/014), or null: on a PostgreSQL
 * server, and while this process does not listen for the change announcements. Null means every
 * read goes to the database.
 *
 * Why only embedded: its queries run on the server's own thread, which is the cost the cache
 * saves, and it has exactly one process, this one (the data-directory lock), which hears each
 * announcement as part of the commit that sent it. A change is therefore never missed nor seen
 * late. A PostgreSQL server runs queries in its own processes, and another server process's
 * commit would reach this one's cache a moment later, not at once.
 */
export async function changeInvalidatedCache<Value>(name: string): Promise<UserScopedCache<Value> | null> {
	if (!usesEmbeddedDatabase()) return null
	const registry = cacheRegistry()
	registry.listening ??= listenToEmbeddedDatabase(CHANGE_CHANNEL, (payload) => registry.invalidate(payload || EVERYONE)).then(
		() => true,
		(error: unknown) => {
			console.error('Listening for database changes failed; every read goes to the database meanwhile.', error)
			setTimeout(() => (registry.listening = undefined), RETRY_LISTENING_MS).unref()
			return false
		},
	)
	if (!(await registry.listening)) return null
	const cache = registry.caches.get(name) ?? registry.caches.set(name, new UserScopedCache()).get(name)!
	return cache as UserScopedCache<Value>
}
