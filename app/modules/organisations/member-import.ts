import { z } from 'zod'
import type { Role } from '#app/generated/prisma/enums.ts'
import { EmailSchema, NameSchema } from '#app/modules/auth/schemas.ts'
import { ROLE_LABELS, ROLES } from './roles.ts'
import { DepartmentNameSchema } from './schemas.ts'

/**
 * Reading a member list someone exported from a spreadsheet or an HR system: which column is
 * which (English or German headers), what each row asks for, and every problem by its line.
 * Pure: the CSV itself is read in member-import-csv.server.ts, the plan against the
 * organisation made in member-import.server.ts.
 */

export const IMPORT_LIMITS = {
	/** Member rows in one file (the header not counted): well above the 10,000 the import is measured with. */
	rows: 20_000,
	/** Entries the preview lists of each kind (problems too); its counts say how many there are in all. */
	listed: 100,
} as const

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MiB`

export const IMPORT_COLUMNS = ['email', 'name', 'department', 'role'] as const
export type ImportColumn = (typeof IMPORT_COLUMNS)[number]

/** The columns as the import page's help names and explains them. */
export const IMPORT_COLUMN_HELP: Record<ImportColumn, { label: string; values: string }> = {
	email: { label: 'Email (required)', values: 'One row per person; each address once' },
	name: { label: 'Name', values: 'Shown in the preview; people choose their own name when they accept, and existing accounts keep theirs' },
	department: { label: 'Department', values: 'An existing department (any case) or a new one, created on import' },
	role: { label: 'Role', values: 'Learner, Manager or Admin, in English or German (below); empty: learner for new people, unchanged for members' },
}

/** Header names as people write them; compared without case, spaces, hyphens, dots or brackets. */
export const HEADER_NAMES: Record<ImportColumn, readonly string[]> = {
	email: ['Email', 'E-Mail', 'Email address', 'Mail', 'E-Mail-Adresse', 'Mailadresse'],
	name: ['Name', 'Full name', 'Display name', 'Vollständiger Name', 'Anzeigename'],
	department: ['Department', 'Team', 'Abteilung', 'Bereich'],
	role: ['Role', 'Rolle'],
}

/** Role values in English and German; "Manager(in)" stands for Manager, Managerin, Manager:in and Manager*in. */
export const ROLE_NAMES: Record<Role, readonly string[]> = {
	LEARNER: ['Learner', 'Participant', 'Lernende(r)', 'Teilnehmer(in)', 'Teilnehmende', 'Mitarbeiter(in)'],
	MANAGER: ['Manager(in)', 'Führungskraft', 'Teamleiter(in)'],
	ADMIN: ['Admin', 'Administrator(in)'],
}

/** Characters that start a formula in Excel, LibreOffice or Google Sheets (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/

export const IMPORT_MESSAGES = {
	emptyFile: 'The file has no rows. Put the column names in the first row and one member per row below it.',
	noMembers: 'The file has column names but no members below them.',
	tooManyRows: `The file has more than ${IMPORT_LIMITS.rows.toLocaleString('en-GB')} member rows. Split it into smaller files and import them one after another.`,
	noEmailColumn: `No column holds the email address. Name one of the columns “${HEADER_NAMES.email.join('”, “')}”.`,
	columnTwice: (column: string) => `Two columns stand for “${column}”. Keep one of them.`,
	formula: (cell: string) =>
		`The cell “${cell}” starts like a spreadsheet formula (=, +, -, @ or a tab), which could run code when the file is opened again. Remove that character.`,
	extraCells: 'This row has more cells than the header has columns. Check for a delimiter inside a name, or put that name in quotes.',
	unknownRole: (value: string) =>
		`“${value}” is not a role. Use Learner, Manager or Admin (in German: Lernende(r), Führungskraft or Administrator(in)), or leave it empty.`,
	duplicate: (firstLine: number) => `This email address is on line ${firstLine} already. Each person may appear once.`,
	emailMissing: 'The email address is missing.',
	fileTooLarge: (maxBytes: number) =>
		`The file is too large: at most ${mebibytes(maxBytes)} can be imported at once. Split it into smaller files and import them one after another.`,
} as const

/** The import page, whose upload (and the preview sent back to apply it) may be larger than other forms. */
export const MEMBER_IMPORT_PATH = /^\/org\/[^/]+\/members\/import\/?$/

/** The exception server/index.ts makes to its body size limit for the import page. */
export const memberImportBodyLimit = (maxBytes: number) => ({ path: MEMBER_IMPORT_PATH, maxBytes, tooLarge: IMPORT_MESSAGES.fileTooLarge(maxBytes) })

export type ImportRecord = { line: number; cells: string[] }
export type ImportProblem = { line: number | null; message: string }
export type ImportRow = { line: number; email: string; name: string | null; department: string | null; role: Role | null }

export type ImportReading =
	| { ok: true; rows: ImportRow[]; ignoredColumns: string[] }
	| { ok: false; problems: ImportProblem[] }

/** "E-Mail-Adresse", "e_mail adresse" and "EMAILADRESSE" are the same name; so are "Lernende(r)" and "Lernender". */
const normalise = (name: string) =>
	name
		.normalize('NFC')
		.toLowerCase()
		.replace(/[\s\-_.()/:*]/g, '')

/** Each spelling, and each without its bracketed ending: "Lernende(r)" is also "Lernende". */
const lookUpTable = <Key extends string>(names: Record<Key, readonly string[]>) =>
	new Map(
		Object.entries<readonly string[]>(names).flatMap(([key, spellings]) =>
			spellings.flatMap((spelling) => [normalise(spelling), normalise(spelling.replace(/\([^)]*\)/g, ''))].map((name) => [name, key as Key] as const)),
		),
	)

const COLUMN_BY_HEADER = lookUpTable(HEADER_NAMES)
const ROLE_BY_NAME = lookUpTable(ROLE_NAMES)
// The role's own name (LEARNER) and its label are accepted too.
for (const role of ROLES) {
	ROLE_BY_NAME.set(normalise(role), role)
	ROLE_BY_NAME.set(normalise(ROLE_LABELS[role]), role)
}

/** An empty cell changes nothing: it is read as "not given", never as "remove". */
const optional = <Schema extends z.ZodTypeAny>(schema: Schema) =>
	z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional()).transform((value) => value ?? null)

const ImportRowSchema = z.object({
	email: z.string().trim().min(1, IMPORT_MESSAGES.emailMissing).pipe(EmailSchema),
	name: optional(NameSchema),
	department: optional(DepartmentNameSchema),
	role: optional(
		z.string().transform((value, context) => {
			const role = ROLE_BY_NAME.get(normalise(value))
			if (!role) {
				context.addIssue({ code: z.ZodIssueCode.custom, message: IMPORT_MESSAGES.unknownRole(value.trim()) })
				return z.NEVER
			}
			return role
		}),
	),
})

/** Which column of the file holds which field; unknown columns are ignored and named in the preview. */
function mapHeader(header: ImportRecord): { columns: Map<ImportColumn, number>; ignored: string[]; problems: ImportProblem[] } {
	const columns = new Map<ImportColumn, number>()
	const ignored: string[] = []
	const problems: ImportProblem[] = []
	header.cells.forEach((cell, index) => {
		const column = COLUMN_BY_HEADER.get(normalise(cell))
		if (!column) {
			if (cell.trim()) ignored.push(cell.trim())
		} else if (columns.has(column)) {
			problems.push({ line: header.line, message: IMPORT_MESSAGES.columnTwice(cell.trim()) })
		} else {
			columns.set(column, index)
		}
	})
	if (!columns.has('email')) problems.push({ line: header.line, message: IMPORT_MESSAGES.noEmailColumn })
	return { columns, ignored, problems }
}

/**
 * The member rows of a file's records (the first is the header), or every problem with its line:
 * a file with any problem yields no rows, so nothing of it is applied.
 */
export function readImportRecords(records: ImportRecord[]): ImportReading {
	const [header, ...body] = records
	if (!header) return { ok: false, problems: [{ line: null, message: IMPORT_MESSAGES.emptyFile }] }
	const { columns, ignored, problems } = mapHeader(header)
	if (problems.length) return { ok: false, problems }
	const filled = body.filter((record) => record.cells.some((cell) => cell.trim() !== ''))
	if (filled.length === 0) return { ok: false, problems: [{ line: null, message: IMPORT_MESSAGES.noMembers }] }
	if (filled.length > IMPORT_LIMITS.rows) return { ok: false, problems: [{ line: null, message: IMPORT_MESSAGES.tooManyRows }] }

	const rows: ImportRow[] = []
	const lineOfEmail = new Map<string, number>()
	for (const { line, cells } of filled) {
		const formula = cells.find((cell) => FORMULA_START.test(cell))
		if (formula !== undefined) {
			problems.push({ line, message: IMPORT_MESSAGES.formula(formula.slice(0, 40)) })
			continue
		}
		if (cells.slice(header.cells.length).some((cell) => cell.trim() !== '')) {
			problems.push({ line, message: IMPORT_MESSAGES.extraCells })
			continue
		}
		const cellOf = (column: ImportColumn) => {
			const index = columns.get(column)
			return index === undefined ? undefined : (cells[index] ?? '')
		}
		const parsed = ImportRowSchema.safeParse({ email: cellOf('email'), name: cellOf('name'), department: cellOf('department'), role: cellOf('role') })
		if (!parsed.success) {
			for (const issue of parsed.error.issues) problems.push({ line, message: issue.message })
			continue
		}
		const firstLine = lineOfEmail.get(parsed.data.email)
		if (firstLine !== undefined) {
			problems.push({ line, message: IMPORT_MESSAGES.duplicate(firstLine) })
			continue
		}
		lineOfEmail.set(parsed.data.email, line)
		rows.push({ line, ...parsed.data })
	}
	return problems.length ? { ok: false, problems } : { ok: true, rows, ignoredColumns: ignored }
}
