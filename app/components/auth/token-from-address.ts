import { useEffect } from 'react'

/**
 * Once the page that an emailed link opened has read the token into its form, the address bar
 * shows `path` instead, so the token is not left in the history or a bookmark. Remix's own state
 * for the entry is kept, so going back and forward still works.
 */
export function useTokenOutOfAddress(path: string) {
	useEffect(() => {
		window.history.replaceState(window.history.state, '', path)
	}, [path])
}
