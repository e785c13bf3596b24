import type { PDFFont, PDFPage } from 'pdf-lib'
import { formatDate } from '#app/utils/format-date.ts'
import { clipText, createPdf, drawCentred, PDF_COLOURS } from '#app/utils/pdf.server.ts'
import { formatCount, formatPercent, type StatementFigures } from './statement.ts'

const { ink: INK, muted: MUTED, accent: ACCENT } = PDF_COLOURS

// A4 portrait, in points.
const PAGE: [number, number] = [595, 842]
const MARGIN = 48
const ROW_HEIGHT = 18
/** Where the rows stop so the footer (code and verification address) has room. */
const FOOTER_TOP = 110

/** The table's columns: text columns by their left edge, figures by their right edge. */
const COLUMNS = {
	requirement: { x: MARGIN, width: 205 },
	audience: { x: MARGIN + 213, width: 110 },
	compliant: { right: 425 },
	members: { right: 487 },
	percent: { right: 595 - MARGIN },
}

function drawRight(page: PDFPage, text: string, right: number, y: number, font: PDFFont, size: number, color = INK) {
	page.drawText(text, { x: right - font.widthOfTextAtSize(text, size), y, size, font, color })
}

/** The statement as a PDF: the same figures as its page, with the code and where to check it. */
export async function renderStatementPdf(statement: StatementFigures, verifyUrl: string) {
	const issuedOn = formatDate(statement.issuedAt)
	const { pdf, regular, bold } = await createPdf({
		title: `Training compliance statement: ${statement.organisationName}, ${issuedOn}`,
		subject: `${statement.organisationName}: ${formatPercent(statement.percentCompliant)} of members compliant as of ${issuedOn}`,
	})

	const addPage = () => {
		const page = pdf.addPage(PAGE)
		const { width, height } = page.getSize()
		page.drawRectangle({ x: 24, y: 24, width: width - 48, height: height - 48, borderColor: ACCENT, borderWidth: 2 })
		drawCentred(page, `Statement ${statement.code}`, 76, bold, 11)
		drawCentred(page, `Check these figures at ${verifyUrl}`, 58, regular, 10, MUTED)
		return page
	}

	let page = addPage()
	const height = page.getHeight()
	drawCentred(page, 'BULWARK', height - 80, bold, 14, ACCENT)
	drawCentred(page, 'Training compliance statement', height - 120, bold, 24)
	drawCentred(page, statement.organisationName, height - 160, bold, 20)
	drawCentred(page, `Security-awareness training as of ${issuedOn} (UTC)`, height - 185, regular, 12, MUTED)
	drawCentred(page, `${formatPercent(statement.percentCompliant)} of members compliant`, height - 235, bold, 28)
	drawCentred(
		page,
		`${formatCount(statement.compliant)} of ${formatCount(statement.members)} ${statement.members === 1 ? 'member meets' : 'members meet'} every training requirement that applies to them.`,
		height - 262,
		regular,
		12,
	)
	drawCentred(page, 'Compliant includes valid completions whose renewal is due soon. Percentages are rounded down.', height - 280, regular, 10, MUTED)

	let y = height - 325
	const header = () => {
		const size = 10
		page.drawText('Requirement', { x: COLUMNS.requirement.x, y, size, font: bold, color: MUTED })
		page.drawText('For', { x: COLUMNS.audience.x, y, size, font: bold, color: MUTED })
		drawRight(page, 'Compliant', COLUMNS.compliant.right, y, bold, size, MUTED)
		drawRight(page, 'Members', COLUMNS.members.right, y, bold, size, MUTED)
		drawRight(page, '%', COLUMNS.percent.right, y, bold, size, MUTED)
		page.drawLine({ start: { x: MARGIN, y: y - 5 }, end: { x: PAGE[0] - MARGIN, y: y - 5 }, thickness: 0.5, color: MUTED })
		y -= ROW_HEIGHT + 2
	}

	if (statement.requirements.length === 0) {
		drawCentred(page, `No training requirement was active on ${issuedOn}.`, y, regular, 12)
	} else {
		header()
		for (const requirement of statement.requirements) {
			if (y < FOOTER_TOP) {
				page = addPage()
				y = page.getHeight() - 70
				header()
			}
			const size = 10
			page.drawText(clipText(bold, requirement.courseTitle, size, COLUMNS.requirement.width), { x: COLUMNS.requirement.x, y, size, font: bold, color: INK })
			page.drawText(clipText(regular, requirement.audience, size, COLUMNS.audience.width), { x: COLUMNS.audience.x, y, size, font: regular, color: INK })
			drawRight(page, formatCount(requirement.compliant), COLUMNS.compliant.right, y, regular, size)
			drawRight(page, formatCount(requirement.members), COLUMNS.members.right, y, regular, size)
			drawRight(page, formatPercent(requirement.percentCompliant), COLUMNS.percent.right, y, bold, size)
			y -= ROW_HEIGHT
		}
	}
	return pdf.save()
}
