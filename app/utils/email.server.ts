import nodemailer from 'nodemailer'
import { getEnv } from './env.server.ts'
import { remember } from './remember.server.ts'

export interface Email {
	to: string
	subject: string
	text: string
	html?: string
}

export function isEmailConfigured() {
	return !!getEnv().SMTP_URL
}

// Short timeouts: a mail server that stops answering holds one worker slot for seconds, not the
// ten minutes nodemailer waits by default (the worker's lease is longer than all three together).
const getTransport = () =>
	remember('smtp', () => nodemailer.createTransport(getEnv().SMTP_URL, { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 }))

/** Sends through SMTP when SMTP_URL is set; returns false (nothing sent) when it is not. Only the outbox worker calls it. */
export async function sendEmail(email: Email) {
	if (!isEmailConfigured()) return false
	await getTransport().sendMail({ from: getEnv().MAIL_FROM, ...email })
	return true
}
