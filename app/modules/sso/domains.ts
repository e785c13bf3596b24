/** Email domains single sign-on is configured for: pure rules, shared by the form and the server. */

/** A DNS name as people write it after the @: labels of letters, digits and hyphens, a dot between. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/

// Nobody owns these: an organisation claiming one would take over every address there.
const PUBLIC_MAIL_DOMAINS = new Set([
	'aol.com',
	'gmail.com',
	'gmx.de',
	'gmx.net',
	'googlemail.com',
	'hotmail.com',
	'icloud.com',
	'live.com',
	'mail.com',
	'me.com',
	'msn.com',
	'outlook.com',
	'proton.me',
	'protonmail.com',
	't-online.de',
	'web.de',
	'yahoo.com',
	'yandex.com',
])

export function normaliseDomain(value: string) {
	return value.trim().toLowerCase().replace(/^@/, '')
}

export const isDomainName = (domain: string) => DOMAIN.test(domain)

export const isPublicMailDomain = (domain: string) => PUBLIC_MAIL_DOMAINS.has(domain)

/** The domains in a list typed one per line or separated by commas, spaces or semicolons, each once. */
export function splitDomainList(text: string) {
	return [...new Set(text.split(/[\s,;]+/).map(normaliseDomain).filter(Boolean))]
}

/** The part after the last @, lower-cased; addresses are stored lower-cased already. */
export function domainOfEmail(email: string) {
	const at = email.lastIndexOf('@')
	return at < 0 ? '' : email.slice(at + 1).toLowerCase()
}
