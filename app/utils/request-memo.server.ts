import { AsyncLocalStorage } from 'node:async_hooks'
import { remember } from './remember.server.ts'

// Shared through `remember`: the Express server and the Remix build are separate module graphs.
const requestScope = remember('request-scope', () => new AsyncLocalStorage<Map<string, unknown>>())

/**
 * Runs `next` with a per-request memo. Only reads are scoped (GET and HEAD): a form submission's
 * action may change what a later loader of the same request must see.
 */
export function withRequestMemo(method: string, next: () => void) {
	if (method === 'GET' || method === 'HEAD') requestScope.run(new Map(), next)
	else next()
}

/** Within one page request, `compute` runs once per key (the root loader and the page's loader share it); elsewhere every call computes. */
export function memoizeForRequest<Value>(key: string, compute: () => Value): Value {
	const memo = requestScope.getStore()
	if (!memo) return compute()
	if (!memo.has(key)) memo.set(key, compute())
	return memo.get(key) as Value
}
