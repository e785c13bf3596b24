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

const getTransport = () => remember('smtp', () => nodemailer.createTransport(getEnv().SMTP_URL))

/** Sends through SMTP when SMTP_URL is set; returns false (nothing sent) when it is not. */
export async function sendEmail(email: Email) {
	if (!isEmailConfigured()) return false
	await getTransport().sendMail({ from: getEnv().MAIL_FROM, ...email })
	return true
}
