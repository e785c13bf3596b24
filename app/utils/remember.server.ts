/**
 * Keeps one instance per process across Vite's module reloads in development and across the
 * two module graphs (the Express server and the Remix build) that share one database.
 */
export function remember<Value>(name: string, create: () => Value): Value {
	const store = globalThis as unknown as { __bulwarkSingletons?: Map<string, unknown> }
	store.__bulwarkSingletons ??= new Map()
	if (!store.__bulwarkSingletons.has(name)) store.__bulwarkSingletons.set(name, create())
	return store.__bulwarkSingletons.get(name) as Value
}
