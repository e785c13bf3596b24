type Singletons = Map<string, unknown>

function singletons() {
	const store = globalThis as unknown as { __bulwarkSingletons?: Singletons }
	store.__bulwarkSingletons ??= new Map()
	return store.__bulwarkSingletons
}

/**
 * Keeps one instance per process across Vite's module reloads in development and across the
 * two module graphs (the Express server and the Remix build) that share one database.
 */
export function remember<Value>(name: string, create: () => Value): Value {
	if (!singletons().has(name)) singletons().set(name, create())
	return singletons().get(name) as Value
}

/** The instance if one was created, without creating it. */
export function recalled<Value>(name: string): Value | undefined {
	return singletons().get(name) as Value | undefined
}
