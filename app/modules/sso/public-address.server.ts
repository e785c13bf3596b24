import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

// An admin types the issuer, and the provider's discovery document names further endpoints (token,
// keys): each is fetched by the server. None may lead it into the network it runs in (server-side
// request forgery): a host that resolves to a private, loopback or link-local address is refused.
// The name is resolved again by the fetch itself, so a name that changes its answer in between
// (DNS rebinding) is not covered; a deployment that must rule that out filters egress as well.

const NOT_PUBLIC = new BlockList()
for (const [network, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.168.0.0', 16],
	['224.0.0.0', 3],
] as const) {
	NOT_PUBLIC.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
	['::', 127],
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8],
] as const) {
	NOT_PUBLIC.addSubnet(network, prefix, 'ipv6')
}

/** Whether an address is one the server must not be sent to on an admin's say-so. */
export function isPublicAddress(address: string) {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
	if (mapped) return isPublicAddress(mapped)
	const family = isIP(address)
	if (family === 0) return false
	return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

export class NonPublicHostError extends Error {}

type Lookup = (host: string) => Promise<{ address: string }[]>
const lookupAll: Lookup = (host) => lookup(host, { all: true, verbatim: true })

/** Refuses a URL whose host resolves to any address that is not public. */
export async function assertPublicHost(url: URL, resolve: Lookup = lookupAll) {
	const host = url.hostname.replace(/^\[|\]$/g, '')
	const addresses = isIP(host) ? [{ address: host }] : await resolve(host)
	if (addresses.length === 0 || !addresses.every(({ address }) => isPublicAddress(address))) {
		throw new NonPublicHostError(`${url.hostname} does not resolve to a public address`)
	}
}
