import { describe, expect, test } from 'vitest'
import { csvRecord, neutraliseCell } from './csv.ts'

describe('neutraliseCell', () => {
	test.each(['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('prefixes %j so it stays text', (value) => {
		expect(neutraliseCell(value)).toBe(`'${value}`)
	})

	test.each(['Ada Lovelace', 'a-b@example.com', '2026-12-01', '', "'quoted"])('leaves %j alone', (value) => {
		expect(neutraliseCell(value)).toBe(value)
	})
})

describe('csvRecord', () => {
	test('quotes every cell, doubles quotes and ends with CRLF', () => {
		expect(csvRecord(['Ada "the first"', 'a,b', null, 'line\nbreak'])).toBe('"Ada ""the first""","a,b","","line\nbreak"\r\n')
	})

	test('neutralises before quoting', () => {
		expect(csvRecord(['=1+1'])).toBe(`"'=1+1"\r\n`)
	})
})
