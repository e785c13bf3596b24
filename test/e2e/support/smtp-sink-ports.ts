/**
 * Where the fake SMTP sink and the app server that mails through it listen. Shared by
 * playwright.config.ts, the sink (smtp-sink.ts) and the specs; override with env vars when a port
 * is taken (the sink, the config and the test workers all read the same environment).
 */
export const SMTP_SINK_HOST = '127.0.0.1'
export const SMTP_SINK_SMTP_PORT = Number(process.env.E2E_SMTP_SINK_SMTP_PORT ?? 2525)
export const SMTP_SINK_HTTP_PORT = Number(process.env.E2E_SMTP_SINK_HTTP_PORT ?? 2526)
export const SMTP_SINK_URL = `http://${SMTP_SINK_HOST}:${SMTP_SINK_HTTP_PORT}`

/** The second app server, which sends invitation emails to the sink. */
export const SMTP_APP_PORT = Number(process.env.E2E_SMTP_APP_PORT ?? 3101)
export const SMTP_APP_URL = `http://localhost:${SMTP_APP_PORT}`

/** One message as GET /messages returns it. */
export interface SinkMessage {
	id: number
	receivedAt: string
	/** Envelope sender (MAIL FROM). */
	from: string
	/** Envelope recipients (RCPT TO), lower-cased. */
	to: string[]
	subject: string
	/** The text/plain body, transfer-decoded (quoted-printable, base64) and charset-decoded. */
	text: string
}
