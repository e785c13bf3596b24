import { CsvError, parse } from 'csv-parse/sync'
import { type ImportProblem, type ImportReading, type ImportRecord, readImportRecords } from './member-import.ts'

/**
 * A member list as Excel, LibreOffice and HR systems save it: UTF-8 with or without a byte order
 * mark, comma-separated (English settings) or semicolon-separated (German ones, where the comma
 * is the decimal mark). Parsed with csv-parse, so quoted cells with delimiters, doubled quotes
 * and line breaks read as a spreadsheet wrote them.
 */

export const CSV_MESSAGES = {
	notUtf8:
		'The file is not UTF-8 text. In Excel choose “Save as” → “CSV UTF-8 (comma delimited)”; in LibreOffice pick the character set “Unicode (UTF-8)” when saving.',
	quoteNotClosed: 'The file ends inside a quoted cell: a quote opened on this line or above it is never closed. Check the quotes around names and departments.',
	badQuote: 'A quote in a cell must be written twice ("") or the whole cell put in quotes.',
	unreadable: 'This line could not be read as CSV.',
} as const

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** The file's text, or a refusal when its bytes are not UTF-8 (a byte order mark is dropped). */
export function decodeCsv(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: ImportProblem } {
	try {
		return { ok: true, text: strictUtf8.decode(bytes) }
	} catch {
		return { ok: false, problem: { line: null, message: CSV_MESSAGES.notUtf8 } }
	}
}

/** Semicolon when the header row has more of them than commas (outside quotes), else comma. */
export function detectDelimiter(text: string): ',' | ';' {
	let commas = 0
	let semicolons = 0
	let quoted = false
	for (const character of text) {
		if (character === '"') quoted = !quoted
		else if (!quoted && (character === '\n' || character === '\r')) break
		else if (!quoted && character === ',') commas++
		else if (!quoted && character === ';') semicolons++
	}
	return semicolons > commas ? ';' : ','
}

function describeCsvError(error: CsvError): ImportProblem {
	const line = typeof (error as { lines?: unknown }).lines === 'number' ? (error as unknown as { lines: number }).lines : null
	if (error.code === 'CSV_QUOTE_NOT_CLOSED') return { line, message: CSV_MESSAGES.quoteNotClosed }
	if (error.code === 'CSV_INVALID_CLOSING_QUOTE' || error.code === 'INVALID_OPENING_QUOTE') return { line, message: CSV_MESSAGES.badQuote }
	return { line, message: CSV_MESSAGES.unreadable }
}

/** The records of a CSV text with the line each starts on, or the line where it stops making sense. */
export function parseCsvRecords(text: string): { ok: true; records: ImportRecord[] } | { ok: false; problem: ImportProblem } {
	try {
		const parsed = parse(text, {
			bom: true,
			delimiter: detectDelimiter(text.replace(/^\uFEFF/, '')),
			info: true,
			relax_column_count: true,
			skip_empty_lines: true,
		}) as unknown as Array<{ record: string[]; info: { lines: number } }>
		// `lines` is where a record ends; a cell with line breaks starts it earlier.
		const records = parsed.map(({ record, info }) => ({ line: info.lines - (record.join('').match(/\n/g)?.length ?? 0), cells: record }))
		return { ok: true, records }
	} catch (error) {
		if (error instanceof CsvError) return { ok: false, problem: describeCsvError(error) }
		throw error
	}
}

/** A CSV text (as uploaded, or sent back from the preview) read into member rows or its problems. */
export function readMemberCsvText(text: string): ImportReading {
	const parsed = parseCsvRecords(text)
	return parsed.ok ? readImportRecords(parsed.records) : { ok: false, problems: [parsed.problem] }
}
