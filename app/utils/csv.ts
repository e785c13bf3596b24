/**
 * A spreadsheet runs a cell that starts with =, +, - or @ (or a tab or carriage return, which some
 * strip first) as a formula: "CSV injection". Such a cell gets a leading apostrophe, which
 * spreadsheets show as text and do not print.
 */
export function neutraliseCell(value: string) {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

/** One CSV record (RFC 4180): every cell quoted, quotes doubled, CRLF at the end. */
export function csvRecord(cells: Array<string | null | undefined>) {
	return `${cells.map((cell) => `"${neutraliseCell(cell ?? '').replaceAll('"', '""')}"`).join(',')}\r\n`
}
