// What a statement's page, PDF and public check share; safe for the browser.

/** "73 %", or a dash when nobody is counted. */
export const formatPercent = (value: number | null) => (value === null ? '–' : `${value} %`)

const countFormat = new Intl.NumberFormat('en-GB')

/** "12,345". */
export const formatCount = (value: number) => countFormat.format(value)

/** Where anyone holding the code checks a statement's figures. */
export const statementVerifyPath = (code: string) => `/verify/statement/${code}`

/** A statement's figures as issued: its page, its PDF and its verification page show these. */
export type StatementFigures = {
	code: string
	organisationName: string
	issuedAt: Date | string
	members: number
	compliant: number
	percentCompliant: number | null
	requirements: { courseTitle: string; audience: string; members: number; compliant: number; percentCompliant: number | null }[]
}
