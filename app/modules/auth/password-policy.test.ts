import { describe, expect, test } from 'vitest'
import { findPasswordProblem } from './password-policy.server.ts'
import { EmailSchema, NameSchema, NewPasswordSchema, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, RedirectToSchema } from './schemas.ts'

const COMMON = /common passwords/
const PATTERN = /repeated or sequential/
const PERSONAL = /name or email/

describe('findPasswordProblem', () => {
	test.each(['password', 'qwerty', 'sunshine', 'correcthorsebatterystaple', 'passwordpassword'])(
		'refuses the common password %j',
		(password) => {
			expect(findPasswordProblem(password)).toMatch(COMMON)
		},
	)

	test.each(['PASSWORD', 'PassWord', 'SunShine', 'CorrectHorseBatteryStaple'])(
		'refuses a common password whatever its case: %j',
		(password) => {
			expect(findPasswordProblem(password)).toMatch(COMMON)
		},
	)

	test.each(['Password2024!!', 'sunshine123456', '!!!Sunshine!!!', '2024_dragon_2024', 'Football#12345'])(
		'refuses a common password decorated with digits or symbols: %j',
		(password) => {
			expect(findPasswordProblem(password)).toMatch(COMMON)
		},
	)

	test.each([
		'aaaaaaaaaaaa',
		'ababababababab',
		'abcdefghijklmnop',
		'ponmlkjihgfedcba',
		'123456789012',
		'987654321098',
		'abcabcabcabc',
		'1212121212121',
		'asdfghjklzxc',
		'ZZZZZZZZZZZZZZ',
	])('refuses the repeated or sequential pattern %j', (password) => {
		expect(findPasswordProblem(password)).toMatch(PATTERN)
	})

	test('refuses passwords built from the email address local part', () => {
		const email = 'margaret.hollis@example.com'
		expect(findPasswordProblem('margaret.hollis', { email })).toMatch(PERSONAL)
		expect(findPasswordProblem('Margaret.Hollis2024!', { email })).toMatch(PERSONAL)
		expect(findPasswordProblem('xMargaret.Hollis1', { email })).toMatch(PERSONAL)
	})

	test('refuses passwords built from the name, with or without its spaces', () => {
		const name = 'Margaret Hollis'
		expect(findPasswordProblem('margarethollis', { name })).toMatch(PERSONAL)
		expect(findPasswordProblem('Margaret Hollis 1990', { name })).toMatch(PERSONAL)
		expect(findPasswordProblem('MargaretHollis!!', { name })).toMatch(PERSONAL)
	})

	test.each([
		['Élodie Durand 1990', 'Élodie Durand'],
		['Иван Петров 1990', 'Иван Петров'],
		['Ørjan Ødegård!!', 'Ørjan Ødegård'],
	])('refuses %j for a user named %j: names are not only ASCII', (password, name) => {
		expect(findPasswordProblem(password, { name })).toMatch(PERSONAL)
	})

	test('accepts the same passwords for another account', () => {
		const context = { email: 'someone@example.com', name: 'Someone Else' }
		expect(findPasswordProblem('margaret.hollis', context)).toBeNull()
		expect(findPasswordProblem('Margaret Hollis 1990', context)).toBeNull()
	})

	test('accepts a long passphrase that merely mentions the name', () => {
		const context = { email: 'margaret@example.com', name: 'Margaret Hollis' }
		expect(findPasswordProblem('margaret keeps violet tractors under lanterns', context)).toBeNull()
	})

	test.each([
		'violet tractor under seven lanterns',
		'Violet-Tractor-Under-Seven-Lanterns-42',
		'the quiet heron counts copper spoons by the harbour at dusk while seven lanterns flicker',
		'зелёный трактор под семью фонарями',
		'緑のトラクターと七つのランタンが眠る',
		'🦉 owls guard the copper harbour 🌙',
	])('accepts the passphrase %j', (password) => {
		expect(findPasswordProblem(password, { email: 'jane.doe@example.com', name: 'Jane Doe' })).toBeNull()
	})

	test('accepts a 100-character passphrase', () => {
		const password = 'violet tractor under seven lanterns, '.repeat(3).slice(0, 100)
		expect(password).toHaveLength(100)
		expect(findPasswordProblem(password)).toBeNull()
	})
})

describe('NewPasswordSchema', () => {
	test(`needs at least ${PASSWORD_MIN_LENGTH} characters`, () => {
		expect(PASSWORD_MIN_LENGTH).toBe(12)
		expect(NewPasswordSchema.safeParse('x'.repeat(11)).success).toBe(false)
		expect(NewPasswordSchema.safeParse('x'.repeat(12)).success).toBe(true)
	})

	test(`allows at most ${PASSWORD_MAX_LENGTH} characters`, () => {
		expect(PASSWORD_MAX_LENGTH).toBe(256)
		expect(NewPasswordSchema.safeParse('x'.repeat(256)).success).toBe(true)
		expect(NewPasswordSchema.safeParse('x'.repeat(257)).success).toBe(false)
	})

	test('imposes no composition rules', () => {
		expect(NewPasswordSchema.parse('all lower case words')).toBe('all lower case words')
	})
})

describe('EmailSchema', () => {
	test('trims and lower-cases the address', () => {
		expect(EmailSchema.parse('  Jane.Doe@Example.COM \n')).toBe('jane.doe@example.com')
	})

	test.each(['', 'not-an-email', 'jane@', '@example.com', `${'a'.repeat(250)}@example.com`])('refuses %j', (value) => {
		expect(EmailSchema.safeParse(value).success).toBe(false)
	})
})

describe('RedirectToSchema', () => {
	test.each(['/org/x', '/', '/org/acme/courses?tab=due#top'])('keeps the same-site path %j', (value) => {
		expect(RedirectToSchema.parse(value)).toBe(value)
	})

	test.each(['//evil.com', '/\\evil.com', '//evil.com/org/x', 'https://evil.com', 'http://evil.com/org/x', 'javascript:alert(1)', 'org/x', '', '/\t/evil.com', '/\n/evil.com', '/\\\tevil.com'])(
		'drops %j',
		(value) => {
			expect(RedirectToSchema.parse(value)).toBeUndefined()
		},
	)

	test('is optional', () => {
		expect(RedirectToSchema.parse(undefined)).toBeUndefined()
	})

	test.each([
		['/日本', '/%E6%97%A5%E6%9C%AC'],
		['/org/a b', '/org/a%20b'],
	])('percent-encodes %j so it is always a valid Location header', (value, encoded) => {
		expect(RedirectToSchema.parse(value)).toBe(encoded)
		expect(() => new Headers({ Location: RedirectToSchema.parse(value)! })).not.toThrow()
	})
})

describe('NameSchema (and every plain-text field built like it)', () => {
	test.each(['Ada\u0000Lovelace', 'Ada\nLovelace', 'Ada\u007fLovelace'])('refuses control characters in %j', (value) => {
		expect(NameSchema.safeParse(value).success).toBe(false)
	})

	test.each(['Ada Lovelace', 'Zoë Ørsted-Łukasiewicz', 'Иван Петров', "O'Brien, Jr."])('accepts %j', (value) => {
		expect(NameSchema.parse(`  ${value} `)).toBe(value)
	})
})
