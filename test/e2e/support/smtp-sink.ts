/**
 * A fake mail server for end-to-end tests: accepts every message over plain SMTP (no auth, no
 * TLS), keeps it in memory and lists it over HTTP.
 *
 *   GET    /messages          -> [{ id, receivedAt, from, to, subject, text }] (oldest first)
 *   GET    /messages?to=ADDR  -> only the messages for that recipient
 *   DELETE /messages          -> forgets every message
 *
 * Run: npx tsx test/e2e/support/smtp-sink.ts (ports: ./smtp-sink-ports.ts). Parsing is minimal on
 * purpose (no extra dependency): headers, RFC 2047 encoded words, quoted-printable / base64 bodies
 * and the first text/plain part of a multipart message. That covers what nodemailer sends.
 */
import { createServer } from 'node:http'
import { SMTPServer } from 'smtp-server'
import { SMTP_SINK_HOST, SMTP_SINK_HTTP_PORT, SMTP_SINK_SMTP_PORT, type SinkMessage } from './smtp-sink-ports.ts'

const MAX_MESSAGES = 1_000
const MAX_MESSAGE_BYTES = 1024 * 1024

const messages: SinkMessage[] = []
let nextId = 1

// --- Minimal MIME parsing --------------------------------------------------------------------

interface Part {
	headers: Map<string, string>
	/** The body as a binary ("latin1") string: one character per byte. */
	body: string
}

/** Splits headers from body and unfolds continuation lines. Works on a binary string. */
function parsePart(raw: string): Part {
	const match = /\r?\n\r?\n/.exec(raw)
	const head = match ? raw.slice(0, match.index) : raw
	const body = match ? raw.slice(match.index + match[0].length) : ''
	const headers = new Map<string, string>()
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const colon = line.indexOf(':')
		if (colon <= 0) continue
		const name = line.slice(0, colon).trim().toLowerCase()
		// The first occurrence wins (e.g. Received is repeated; the ones we read are not).
		if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim())
	}
	return { headers, body }
}

/** A header parameter such as charset or boundary, quoted or not. */
function headerParam(value: string | undefined, name: string) {
	const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value ?? '')
	return match ? (match[1] ?? match[2]) : undefined
}

function decodeCharset(bytes: Buffer, charset = 'utf-8') {
	try {
		return new TextDecoder(charset).decode(bytes)
	} catch {
		return bytes.toString('utf8')
	}
}

function decodeQuotedPrintable(binary: string) {
	// Soft line breaks go (whitespace before their "=" is content); trailing whitespace on a hard
	// line was added in transport and goes too (RFC 2045, 6.7).
	const unwrapped = binary.replace(/=\r?\n/g, '').replace(/[ \t]+(?=\r?\n|$)/g, '')
	return Buffer.from(
		unwrapped.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
		'latin1',
	)
}

function decodeTransfer(binary: string, encoding: string | undefined) {
	switch ((encoding ?? '').trim().toLowerCase()) {
		case 'quoted-printable':
			return decodeQuotedPrintable(binary)
		case 'base64':
			return Buffer.from(binary.replace(/\s+/g, ''), 'base64')
		default:
			return Buffer.from(binary, 'latin1')
	}
}

/** Decodes RFC 2047 encoded words (=?utf-8?B?...?= and =?utf-8?Q?...?=) in a header value. */
function decodeHeader(binary: string) {
	const decoded = binary.replace(/\?=\s+=\?/g, '?==?') // whitespace between encoded words is dropped
	return decodeCharset(
		Buffer.from(
			decoded.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, kind: string, text: string) => {
				const bytes =
					kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQuotedPrintable(text.replace(/_/g, ' '))
				// Re-encode to UTF-8 bytes (as binary) so the whole header decodes in one go below.
				return Buffer.from(decodeCharset(bytes, charset), 'utf8').toString('latin1')
			}),
			'latin1',
		),
		'utf-8',
	)
}

/** The text of the first text/plain part (a single-part message without a type counts as text). */
function findText(part: Part, depth = 0): string | undefined {
	const contentType = part.headers.get('content-type') ?? 'text/plain'
	const type = contentType.split(';')[0]!.trim().toLowerCase()
	if (type.startsWith('multipart/') && depth < 5) {
		const boundary = headerParam(contentType, 'boundary')
		if (!boundary) return undefined
		const sections = part.body.split(`--${boundary}`).slice(1) // before the first boundary: preamble
		for (const section of sections) {
			if (section.startsWith('--')) break // closing boundary
			const text = findText(parsePart(section.replace(/^[ \t]*\r?\n/, '')), depth + 1)
			if (text !== undefined) return text
		}
		return undefined
	}
	if (type !== 'text/plain') return undefined
	const bytes = decodeTransfer(part.body, part.headers.get('content-transfer-encoding'))
	return decodeCharset(bytes, headerParam(contentType, 'charset')).replace(/\r\n/g, '\n').replace(/\n$/, '')
}

// --- SMTP --------------------------------------------------------------------------------------

const smtp = new SMTPServer({
	authOptional: true,
	disabledCommands: ['STARTTLS', 'AUTH'],
	logger: false,
	banner: 'Bulwark e2e SMTP sink',
	size: MAX_MESSAGE_BYTES,
	onData(stream, session, callback) {
		const chunks: Buffer[] = []
		stream.on('data', (chunk: Buffer) => chunks.push(chunk))
		stream.on('error', callback)
		stream.on('end', () => {
			if (stream.sizeExceeded) {
				callback(Object.assign(new Error('Message too big for the test sink'), { responseCode: 552 }))
				return
			}
			try {
				const part = parsePart(Buffer.concat(chunks).toString('latin1'))
				const message: SinkMessage = {
					id: nextId++,
					receivedAt: new Date().toISOString(),
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
					subject: decodeHeader(part.headers.get('subject') ?? ''),
					text: findText(part) ?? '',
				}
				messages.push(message)
				if (messages.length > MAX_MESSAGES) messages.shift()
				console.log(`smtp-sink: message ${message.id} to ${message.to.join(', ')}: ${message.subject}`)
				callback()
			} catch (error) {
				callback(error instanceof Error ? error : new Error(String(error)))
			}
		})
	},
})
smtp.on('error', (error) => console.error('smtp-sink: SMTP error', error))

// --- HTTP --------------------------------------------------------------------------------------

const http = createServer((request, response) => {
	const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`)
	const send = (status: number, body: unknown) => {
		response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
		response.end(JSON.stringify(body))
	}
	if (url.pathname !== '/messages') return send(404, { error: 'Not found: try GET /messages' })
	if (request.method === 'GET') {
		const to = url.searchParams.get('to')?.toLowerCase()
		return send(200, to ? messages.filter((message) => message.to.includes(to)) : messages)
	}
	if (request.method === 'DELETE') {
		messages.length = 0
		return send(200, [])
	}
	response.setHeader('allow', 'GET, DELETE')
	return send(405, { error: 'Method not allowed' })
})

await new Promise<void>((resolve, reject) => {
	smtp.server.once('error', reject)
	smtp.listen(SMTP_SINK_SMTP_PORT, SMTP_SINK_HOST, () => resolve())
})
await new Promise<void>((resolve, reject) => {
	http.once('error', reject)
	http.listen(SMTP_SINK_HTTP_PORT, SMTP_SINK_HOST, () => resolve())
})
console.log(
	`smtp-sink: SMTP on ${SMTP_SINK_HOST}:${SMTP_SINK_SMTP_PORT}, messages on http://${SMTP_SINK_HOST}:${SMTP_SINK_HTTP_PORT}/messages`,
)

function shutdown() {
	http.close()
	http.closeAllConnections()
	smtp.close(() => process.exit(0))
	setTimeout(() => process.exit(0), 2_000).unref()
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
