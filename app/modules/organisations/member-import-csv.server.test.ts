import { describe, expect, test } from 'vitest'
import { IMPORT_LIMITS, IMPORT_MESSAGES, readImportRecords } from './member-import.ts'
import { CSV_MESSAGES, decodeCsv, detectDelimiter, readMemberCsvText } from './member-import-csv.server.ts'

const BOM = '\uFEFF'
const utf8 = (text: string) => new TextEncoder().encode(text)

/** Bytes as Excel writes them: a BOM, CRLF line ends. */
const excel = (lines: string[]) => utf8(`${BOM}${lines.join('\r\n')}\r\n`)

function read(bytes: Uint8Array) {
	const decoded = decodeCsv(bytes)
	if (!decoded.ok) throw new Error(decoded.problem.message)
	return readMemberCsvText(decoded.text)
}

function rowsOf(bytes: Uint8Array) {
	const reading = read(bytes)
	if (!reading.ok) throw new Error(`Expected rows, got ${JSON.stringify(reading.problems)}`)
	return reading.rows
}

function problemsOf(text: string) {
	const reading = readMemberCsvText(text)
	if (reading.ok) throw new Error(`Expected problems, got ${reading.rows.length} rows`)
	return reading.problems
}

describe('reading a member CSV', () => {
	test('English headers, commas, no BOM', () => {
		expect(rowsOf(utf8('email,name,department,role\nada@example.com,Ada Lovelace,Research,Manager\nbob@example.com,Bob,,\n'))).toEqual([
			{ line: 2, email: 'ada@example.com', name: 'Ada Lovelace', department: 'Research', role: 'MANAGER' },
			{ line: 3, email: 'bob@example.com', name: 'Bob', department: null, role: null },
		])
	})

	test('German headers, semicolons and a BOM, as German Excel saves "CSV UTF-8"', () => {
		const rows = rowsOf(
			excel([
				'E-Mail-Adresse;Name;Abteilung;Rolle',
				'juergen.mueller@example.de;Jürgen Müller;Vertrieb;Lernende(r)',
				'Petra@Example.de;"Schmidt; Petra";Geschäftsführung;Führungskraft',
				'anna@example.de;Anna;IT;Administratorin',
				'tom@example.de;Tom;IT;Teilnehmer',
				'eva@example.de;Eva;IT;Teilnehmer:in',
				'max@example.de;Max;;administrator',
			]),
		)
		expect(rows).toEqual([
			{ line: 2, email: 'juergen.mueller@example.de', name: 'Jürgen Müller', department: 'Vertrieb', role: 'LEARNER' },
			{ line: 3, email: 'petra@example.de', name: 'Schmidt; Petra', department: 'Geschäftsführung', role: 'MANAGER' },
			{ line: 4, email: 'anna@example.de', name: 'Anna', department: 'IT', role: 'ADMIN' },
			{ line: 5, email: 'tom@example.de', name: 'Tom', department: 'IT', role: 'LEARNER' },
			{ line: 6, email: 'eva@example.de', name: 'Eva', department: 'IT', role: 'LEARNER' },
			{ line: 7, email: 'max@example.de', name: 'Max', department: null, role: 'ADMIN' },
		])
	})

	test('header names in any case and spelling: "E-Mail", "EMAIL ADDRESS", "Mail"', () => {
		for (const header of ['E-Mail', 'EMAIL ADDRESS', 'Mail', 'e_mail']) {
			expect(rowsOf(utf8(`${header};Rolle\nx@example.com;Manager(in)\n`))).toEqual([{ line: 2, email: 'x@example.com', name: null, department: null, role: 'MANAGER' }])
		}
	})

	test('the delimiter is the one the header row uses more of, outside quotes', () => {
		expect(detectDelimiter('email;name;role\na,b;c')).toBe(';')
		expect(detectDelimiter('email,name,role\na;b;c;d;e')).toBe(',')
		expect(detectDelimiter('"a;b;c",email,role')).toBe(',')
	})

	test('unknown columns are ignored and named; blank rows are skipped', () => {
		const reading = readMemberCsvText('Personalnummer;E-Mail;Kostenstelle\n17;a@example.com;4711\n;;\n\n18;b@example.com;4712\n')
		expect(reading).toEqual({
			ok: true,
			ignoredColumns: ['Personalnummer', 'Kostenstelle'],
			rows: [
				{ line: 2, email: 'a@example.com', name: null, department: null, role: null },
				{ line: 5, email: 'b@example.com', name: null, department: null, role: null },
			],
		})
	})

	test('a quoted cell with a line break: the next rows keep their own line numbers', () => {
		const problems = problemsOf('email,name\na@example.com,"Two\nlines"\nnot-an-email,Bob\n')
		expect(problems).toEqual([
			{ line: 2, message: 'Use letters, digits, spaces and punctuation only' },
			{ line: 4, message: 'Enter a valid email address, like name@example.com' },
		])
	})

	test('every wrong line is reported with its number, and no rows come back', () => {
		const problems = problemsOf(
			[
				'email;name;department;role',
				'ok@example.com;Ok;Sales;Learner',
				';Nobody;Sales;Learner',
				'boss@example.com;Boss;Sales;Chef',
				'OK@example.com;Ok again;;',
				'calc@example.com;"=HYPERLINK(""http://evil.example"")";;',
				'tab@example.com;\tName;;',
				'extra@example.com;Extra;Sales;Learner;surplus',
			].join('\n'),
		)
		expect(problems).toEqual([
			{ line: 3, message: IMPORT_MESSAGES.emailMissing },
			{ line: 4, message: IMPORT_MESSAGES.unknownRole('Chef') },
			{ line: 5, message: IMPORT_MESSAGES.duplicate(2) },
			{ line: 6, message: IMPORT_MESSAGES.formula('=HYPERLINK("http://evil.example")') },
			{ line: 7, message: IMPORT_MESSAGES.formula('\tName') },
			{ line: 8, message: IMPORT_MESSAGES.extraCells },
		])
	})

	test('cells starting with +, - or @ are refused as formulas too', () => {
		for (const cell of ['+1', '-2+3', '@SUM(A1)']) {
			expect(problemsOf(`email,department\na@example.com,${cell}\n`)).toEqual([{ line: 2, message: IMPORT_MESSAGES.formula(cell) }])
		}
	})

	test('a file without an email column, or with two, is refused at its header', () => {
		expect(problemsOf('Name;Abteilung\nAda;IT\n')).toEqual([{ line: 1, message: IMPORT_MESSAGES.noEmailColumn }])
		expect(problemsOf('Email;E-Mail\na@example.com;b@example.com\n')).toEqual([{ line: 1, message: IMPORT_MESSAGES.columnTwice('E-Mail') }])
	})

	test('empty files and files with only a header are refused', () => {
		expect(problemsOf('')).toEqual([{ line: null, message: IMPORT_MESSAGES.emptyFile }])
		expect(problemsOf(`${BOM}E-Mail;Name\r\n`)).toEqual([{ line: null, message: IMPORT_MESSAGES.noMembers }])
	})

	test('an unclosed or stray quote is reported with its line', () => {
		expect(problemsOf('email,name\na@example.com,"Ada\nb@example.com,Bob\n')).toEqual([{ line: 3, message: CSV_MESSAGES.quoteNotClosed }])
		expect(problemsOf('email,name\na@example.com,Ada\nb@example.com,"Bob"by\n')).toEqual([{ line: 3, message: CSV_MESSAGES.badQuote }])
	})

	test('a file that is not UTF-8 (Excel’s "CSV (MS-DOS)" in Windows-1252, or UTF-16) is refused', () => {
		const windows1252 = Uint8Array.from([...utf8('email;name\nj@example.de;J'), 0xfc, ...utf8('rgen\n')])
		expect(decodeCsv(windows1252)).toEqual({ ok: false, problem: { line: null, message: CSV_MESSAGES.notUtf8 } })
		const utf16 = Uint8Array.from([0xff, 0xfe, ...[...'email'].flatMap((character) => [character.charCodeAt(0), 0])])
		expect(decodeCsv(utf16).ok).toBe(false)
	})

	test('more rows than the limit are refused as a whole', () => {
		const records = [{ line: 1, cells: ['email'] }, ...Array.from({ length: IMPORT_LIMITS.rows + 1 }, (_, index) => ({ line: index + 2, cells: [`p${index}@example.com`] }))]
		expect(readImportRecords(records)).toEqual({ ok: false, problems: [{ line: null, message: IMPORT_MESSAGES.tooManyRows }] })
		expect(readImportRecords(records.slice(0, -1)).ok).toBe(true)
	})

	test('100,000 lines are refused with a readable message', () => {
		const text = `email\n${Array.from({ length: 100_000 }, (_, index) => `p${index}@example.com`).join('\n')}\n`
		expect(problemsOf(text)).toEqual([{ line: null, message: IMPORT_MESSAGES.tooManyRows }])
	})
})
