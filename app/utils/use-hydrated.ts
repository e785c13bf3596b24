import { useEffect, useState } from 'react'

/** False in the server's HTML and until React has hydrated the page: for what only works with JavaScript. */
export function useHydrated() {
	const [hydrated, setHydrated] = useState(false)
	useEffect(() => setHydrated(true), [])
	return hydrated
}
