import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import fontkit from '@pdf-lib/fontkit'
import { type Color, PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib'
import { remember } from './remember.server.ts'

// DejaVu Sans covers Latin, Greek and Cyrillic, so names like Łukasz or Zoë print as written
// (the PDF standard fonts cannot encode them). Only the glyphs used are embedded.
const fontFiles = remember('pdf-fonts', async () => {
	const directory = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf')
	const [regular, bold] = await Promise.all([
		readFile(path.join(directory, 'DejaVuSans.ttf')),
		readFile(path.join(directory, 'DejaVuSans-Bold.ttf')),
	])
	return { regular, bold }
})

/** The colours Bulwark's documents print in. */
export const PDF_COLOURS = {
	ink: rgb(0.09, 0.13, 0.22),
	muted: rgb(0.35, 0.39, 0.47),
	accent: rgb(0.11, 0.35, 0.67),
	danger: rgb(0.72, 0.11, 0.11),
}

/** A new document by Bulwark with DejaVu Sans embedded in regular and bold. */
export async function createPdf({ title, subject }: { title: string; subject: string }) {
	const pdf = await PDFDocument.create()
	pdf.registerFontkit(fontkit)
	pdf.setTitle(title)
	pdf.setAuthor('Bulwark')
	pdf.setSubject(subject)
	const fonts = await fontFiles
	const [regular, bold] = await Promise.all([pdf.embedFont(fonts.regular, { subset: true }), pdf.embedFont(fonts.bold, { subset: true })])
	return { pdf, regular, bold }
}

/** Shrinks the font until the text fits the width (long names and course titles), down to 10 points. */
function fitSize(font: PDFFont, text: string, size: number, maxWidth: number) {
	let fitted = size
	while (fitted > 10 && font.widthOfTextAtSize(text, fitted) > maxWidth) fitted -= 1
	return fitted
}

/** The text cut with an ellipsis where it would run past the width at this size. */
export function clipText(font: PDFFont, text: string, size: number, maxWidth: number) {
	if (font.widthOfTextAtSize(text, size) <= maxWidth) return text
	let end = text.length
	while (end > 0 && font.widthOfTextAtSize(`${text.slice(0, end).trimEnd()}…`, size) > maxWidth) end--
	return `${text.slice(0, end).trimEnd()}…`
}

/** Draws one line centred on the page, shrunk to fit within the margins. */
export function drawCentred(page: PDFPage, text: string, y: number, font: PDFFont, size: number, color: Color = PDF_COLOURS.ink, margin = 60) {
	const width = page.getWidth()
	const fitted = fitSize(font, text, size, width - 2 * margin)
	page.drawText(text, { x: (width - font.widthOfTextAtSize(text, fitted)) / 2, y, size: fitted, font, color })
}
