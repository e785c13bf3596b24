import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { setByPage } from './form-fields.ts'
import { ALTERED_FORM_MESSAGE, findFormProblem, FORM_LIMITS, parseSubmission, readForm, readIntent } from './form-submission.server.ts'

const form = (entries: [string, string][]) => {
	const formData = new FormData()
	for (const [name, value] of entries) formData.append(name, value)
	return formData
}

/** The status and message of what a call threw (the app's `data()` responses). */
function thrownStatus(run: () => unknown) {
	try {
		run()
	} catch (error) {
		const response = error as { init?: { status?: number }; data?: { message?: string } }
		return { status: response.init?.status, message: response.data?.message }
	}
	throw new Error('expected the call to throw')
}

describe('findFormProblem', () => {
	test.each([
		['a plain field', [['email', 'a@example.test']]],
		['a nested field', [['answers.spot-the-sign', 'abc123']]],
		['a nested key that starts with a digit (a question id)', [['answers.2fa-codes', 'abc123']]],
		['the highest list index', [[`items[${FORM_LIMITS.listIndex}].title`, 'x']]],
		['a repeated checkbox', [['departmentIds', 'a'], ['departmentIds', 'b']]],
		['as many fields as allowed', Array.from({ length: FORM_LIMITS.fields }, (_, index) => [`field${index}`, 'x'])],
	] as [string, [string, string][]][])('accepts %s', (_label, entries) => {
		expect(findFormProblem(form(entries))).toBeNull()
	})

	test.each([
		['an index past the limit', [[`name[${FORM_LIMITS.listIndex + 1}]`, 'x']]],
		['a hundred-million index', [['name[99999999]', 'x']]],
		['an index with more digits than any number we accept', [['name[9999999999999]', 'x']]],
		['a name longer than the limit', [['a'.repeat(FORM_LIMITS.nameLength + 1), 'x']]],
		['nesting deeper than the limit', [['a.b.c.d.e', 'x']]],
		['one field too many', Array.from({ length: FORM_LIMITS.fields + 1 }, (_, index) => [`field${index}`, 'x'])],
		['a name that is no path', [['a[b]', 'x']]],
		['an empty name', [['', 'x']]],
		['Conform’s list intent', [['__intent__', '{"type":"insert","payload":{"name":"x","index":99999999}}']]],
		['Conform’s state', [['__state__', '{}']]],
	] as [string, [string, string][]][])('refuses %s', (_label, entries) => {
		expect(findFormProblem(form(entries))).toMatch(/form/)
	})
})

describe('readForm', () => {
	test('answers 400 with a readable message for a hostile form, before Conform builds anything', async () => {
		const request = new Request('http://localhost/signup', {
			method: 'POST',
			body: new URLSearchParams([['email', 'probe@example.test'], ['name[99999999]', 'x']]),
		})
		const thrown = await readForm(request).catch((error: unknown) => error)
		expect(thrown).toMatchObject({ init: { status: 400 }, data: { message: expect.stringMatching(/does not look like one of our forms/) } })
	})
})

describe('parseSubmission', () => {
	const Schema = z.object({ intent: z.literal('save'), recordId: setByPage(z.string().regex(/^[a-z0-9]+$/)), name: z.string().min(3, 'Too short') })

	test('a reply echoes only the fields the schema knows', () => {
		const submission = parseSubmission(form([['intent', 'save'], ['recordId', 'abc'], ['name', 'x'], ['extra', 'y'], ['junk[5].deep', 'z']]), Schema)
		const reply = submission.reply()
		expect(reply.initialValue).toEqual({ intent: 'save', recordId: 'abc', name: 'x' })
		expect(reply.fields).toEqual(['intent', 'recordId', 'name'])
		expect(reply.error).toEqual({ name: ['Too short'] })
	})

	test('a list only where the schema has one, and values cut to a bounded length', () => {
		const nested = Array.from({ length: 50 }, (_, index) => [`name[${index}][0][99]`, 'x'] as [string, string])
		const reply = parseSubmission(form([...nested, ['intent', 'save'], ['recordId', 'abc'], ['extra', 'y']]), Schema).reply()
		expect(reply.initialValue).toEqual({ intent: 'save', recordId: 'abc' })
		const long = parseSubmission(form([['intent', 'save'], ['recordId', 'abc'], ['name', 'n'.repeat(100_000)]]), Schema).reply()
		expect((long.initialValue?.name as string).length).toBe(FORM_LIMITS.echoedValueLength)
		const Ticks = z.object({ departmentIds: z.preprocess((value) => [value].flat(), z.array(z.string())) })
		expect(parseSubmission(form([['departmentIds', 'a']]), Ticks).reply().initialValue).toEqual({ departmentIds: 'a' })
	})

	test('a nested schema keeps its own keys and lists, and drops the rest', () => {
		const Quiz = z.object({ answers: z.object({ q1: z.array(z.string()), q2: z.array(z.string()) }) })
		const reply = parseSubmission(form([['answers.q1', 'a'], ['answers.q1', 'b'], ['answers.q3', 'c']]), Quiz).reply()
		expect(reply.initialValue).toEqual({ answers: { q1: ['a', 'b'] } })
	})

	test.each([
		['a literal intent', [['intent', 'delete-everything'], ['recordId', 'abc'], ['name', 'Ada']]],
		['a hidden id', [['intent', 'save'], ['recordId', 'not an id'], ['name', 'Ada']]],
		['a missing hidden id', [['intent', 'save'], ['name', 'Ada']]],
	] as [string, [string, string][]][])('an altered %s answers 400 with a page-level message', (_label, entries) => {
		expect(thrownStatus(() => parseSubmission(form(entries), Schema))).toEqual({ status: 400, message: ALTERED_FORM_MESSAGE })
	})

	test('the discriminator of a discriminated union counts as hidden', () => {
		const Actions = z.discriminatedUnion('intent', [z.object({ intent: z.literal('pause') }), z.object({ intent: z.literal('resume') })])
		expect(thrownStatus(() => parseSubmission(form([['intent', 'explode']]), Actions)).status).toBe(400)
		expect(parseSubmission(form([['intent', 'pause']]), Actions).status).toBe('success')
	})

	test('a mistake in a visible field stays an error beside that field', () => {
		const submission = parseSubmission(form([['intent', 'save'], ['recordId', 'abc'], ['name', 'x']]), Schema)
		expect(submission.status).toBe('error')
	})
})

describe('readIntent', () => {
	test('returns a known intent and refuses any other', () => {
		expect(readIntent(form([['intent', 'revoke']]), ['invite', 'revoke'])).toBe('revoke')
		for (const entries of [[['intent', 'drop']], [], [['intent', '']]] as [string, string][][]) {
			expect(thrownStatus(() => readIntent(form(entries), ['invite', 'revoke']))).toEqual({ status: 400, message: ALTERED_FORM_MESSAGE })
		}
	})
})

describe('one path for every form', () => {
	const sources = fs
		.readdirSync('app', { recursive: true, encoding: 'utf8' })
		.filter((file) => /\.tsx?$/.test(file) && !file.includes('.test.') && !file.startsWith('generated'))
		.map((file) => ({ file: path.join('app', file), text: fs.readFileSync(path.join('app', file), 'utf8') }))

	test('only the shared module reads a request body as a form', () => {
		const readers = sources.filter(({ text }) => /\.formData\(\)/.test(text)).map(({ file }) => file)
		expect(readers).toEqual(['app/utils/form-submission.server.ts'])
	})

	test('only the shared module and the browser-side form hook parse with Conform', () => {
		const parsers = sources.filter(({ text }) => /parseWithZod/.test(text)).map(({ file }) => file)
		expect(parsers.sort()).toEqual(['app/components/forms.tsx', 'app/utils/form-submission.server.ts'])
	})
})
