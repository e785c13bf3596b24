import net from 'node:net'

export type ProxyMode = 'forward' | 'refuse' | 'silent'

/**
 * A TCP proxy in front of a PostgreSQL server that a test can take down without touching the
 * server: `refuse` closes every connection and refuses new ones (a stopped server), `silent`
 * accepts connections and holds every byte in both directions (a network partition: the port is
 * open, nothing answers), `forward` passes everything on again, held bytes first.
 */
export async function startDatabaseProxy(target: { host: string; port: number }) {
	let mode: ProxyMode = 'forward'
	const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>()
	const sockets = new Set<net.Socket>()
	const onConnection = (client: net.Socket) => {
		sockets.add(client)
		client.on('close', () => sockets.delete(client))
		client.on('error', () => {})
		if (mode === 'refuse') return client.destroy()
		const upstream = net.connect(target.port, target.host)
		upstream.on('error', () => client.destroy())
		client.on('error', () => upstream.destroy())
		client.on('close', () => upstream.destroy())
		upstream.on('close', () => client.destroy())
		const pair = { client, upstream }
		pairs.add(pair)
		client.on('close', () => pairs.delete(pair))
		client.pipe(upstream)
		upstream.pipe(client)
		if (mode === 'silent') hold(pair)
	}
	// Paused sockets keep what arrives in their buffers: nothing is lost, nothing is delivered.
	const hold = ({ client, upstream }: { client: net.Socket; upstream: net.Socket }) => {
		client.unpipe(upstream)
		upstream.unpipe(client)
		client.pause()
		upstream.pause()
	}
	const release = ({ client, upstream }: { client: net.Socket; upstream: net.Socket }) => {
		client.pipe(upstream)
		upstream.pipe(client)
	}
	let server = net.createServer(onConnection)
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const port = (server.address() as net.AddressInfo).port

	return {
		port,
		async setMode(next: ProxyMode) {
			if (next === mode) return
			const previous = mode
			mode = next
			if (next === 'refuse') {
				const closed = new Promise<void>((resolve) => server.close(() => resolve()))
				for (const socket of sockets) socket.destroy()
				await closed
				return
			}
			if (previous === 'refuse') {
				server = net.createServer(onConnection)
				await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
			}
			for (const pair of pairs) (next === 'silent' ? hold : release)(pair)
		},
		async close() {
			for (const socket of sockets) socket.destroy()
			await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))
		},
	}
}

/** A database URL that goes through the proxy on `port` instead of to the server in `url`. */
export function throughProxy(url: string, port: number) {
	const proxied = new URL(url)
	proxied.hostname = '127.0.0.1'
	proxied.port = String(port)
	return proxied.toString()
}

/** A local port nothing listens on once this resolves: a stopped database, or a free port for a server. */
export async function unusedPort() {
	const server = net.createServer()
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const { port } = server.address() as net.AddressInfo
	await new Promise<void>((resolve) => server.close(() => resolve()))
	return port
}
