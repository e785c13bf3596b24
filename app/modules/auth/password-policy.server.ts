import commonPasswordList from './common-passwords.txt?raw'

const commonPasswords = new Set(
	commonPasswordList.split('\n').filter((line) => line.length > 0 && !line.startsWith('#')),
)

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'qwertyuiopasdfghjklzxcvbnm', 'qwertzuiopasdfghjklyxcvbnm']

function isRepetitiveOrSequential(password: string) {
	const lower = password.toLowerCase()
	if (new Set(lower).size <= 2) return true
	// The same short chunk over and over: "abcabcabcabc", "1212121212121".
	if (/^(.{1,4})\1+.{0,3}$/.test(lower)) return true
	return SEQUENCES.some((sequence) => {
		const doubled = sequence + sequence
		return doubled.includes(lower) || [...doubled].reverse().join('').includes(lower)
	})
}

/**
 * "Password2024!" is "password" with decoration; attackers try those first. Letters are matched
 * by Unicode class: ASCII-only \W also stripped the "É" of "Élodie" and every Cyrillic letter.
 */
function commonCore(password: string) {
	return password.toLowerCase().replace(/^[^\p{L}\p{M}]+|[^\p{L}\p{M}]+$/gu, '')
}

/**
 * Returns why a new password is refused, or null when it is acceptable (NIST SP 800-63B 5.1.1.2):
 * no composition rules, but no breached or common passwords, no repetitive or sequential
 * characters, and nothing made of the account's own name or email address.
 */
export function findPasswordProblem(password: string, context: { email?: string; name?: string } = {}) {
	const lower = password.toLowerCase()
	if (commonPasswords.has(lower) || commonPasswords.has(commonCore(password))) {
		return 'This password appears on a list of common passwords that attackers try first. Choose another, for example a few unrelated words.'
	}
	if (isRepetitiveOrSequential(password)) {
		return 'This password is a repeated or sequential pattern. Choose something less predictable.'
	}
	const emailName = context.email?.split('@')[0]?.toLowerCase()
	const personalWords = [emailName, context.name?.toLowerCase().replace(/\s+/g, '')].filter(
		(word): word is string => !!word && word.length >= 4,
	)
	if (personalWords.some((word) => commonCore(password).replace(/\s+/g, '') === word || (lower.includes(word) && lower.length - word.length < 6))) {
		return 'This password is too close to your name or email address.'
	}
	return null
}
