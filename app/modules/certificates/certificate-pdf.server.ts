import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, type PDFFont, rgb } from 'pdf-lib'
import { remember } from '#app/utils/remember.server.ts'
import { formatDate } from '#app/utils/format-date.ts'
import type { OwnCertificate } from './certificates.server.ts'

// DejaVu Sans covers Latin, Greek and Cyrillic, so names like Łukasz or Zoë print as written
// (the PDF standard fonts cannot encode them). Only the glyphs used are embedded.
const fontFiles = remember('certificate-fonts', async () => {
	const directory = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf')
	const [regular, bold] = await Promise.all([
		readFile(path.join(directory, 'DejaVuSans.ttf')),
		readFile(path.join(directory, 'DejaVuSans-Bold.ttf')),
	])
	return { regular, bold }
})

const INK = rgb(0.09, 0.13, 0.22)
const MUTED = rgb(0.35, 0.39, 0.47)
const ACCENT = rgb(0.11, 0.35, 0.67)

/** Shrinks the font until the text fits the width (long names and course titles). */
function fitSize(font: PDFFont, text: string, size: number, maxWidth: number) {
	let fitted = size
	while (fitted > 10 && font.widthOfTextAtSize(text, fitted) > maxWidth) fitted -= 1
	return fitted
}

export async function renderCertificatePdf(certificate: OwnCertificate, verifyUrl: string) {
	const pdf = await PDFDocument.create()
	pdf.registerFontkit(fontkit)
	pdf.setTitle(`Certificate: ${certificate.courseTitle}`)
	pdf.setAuthor('Bulwark')
	pdf.setSubject(`${certificate.learnerName} completed ${certificate.courseTitle}`)
	const fonts = await fontFiles
	const regular = await pdf.embedFont(fonts.regular, { subset: true })
	const bold = await pdf.embedFont(fonts.bold, { subset: true })
	const page = pdf.addPage([842, 595])
	const { width, height } = page.getSize()
	const centred = (text: string, y: number, font: PDFFont, size: number, color = INK) => {
		const fitted = fitSize(font, text, size, width - 120)
		page.drawText(text, { x: (width - font.widthOfTextAtSize(text, fitted)) / 2, y, size: fitted, font, color })
	}
	page.drawRectangle({ x: 24, y: 24, width: width - 48, height: height - 48, borderColor: ACCENT, borderWidth: 2 })
	centred('BULWARK', height - 90, bold, 14, ACCENT)
	centred('Certificate of completion', height - 140, bold, 30)
	centred('This certifies that', height - 200, regular, 14, MUTED)
	centred(certificate.learnerName, height - 245, bold, 28)
	centred('has completed the security-awareness course', height - 290, regular, 14, MUTED)
	centred(certificate.courseTitle, height - 330, bold, 22)
	centred(
		`Completed on ${formatDate(certificate.completedAt)} · valid until ${formatDate(certificate.expiresAt)} · course version ${certificate.courseVersion}`,
		height - 380,
		regular,
		12,
		MUTED,
	)
	if (certificate.status === 'expired') centred(`EXPIRED on ${formatDate(certificate.expiresAt)}`, 150, bold, 16, rgb(0.72, 0.11, 0.11))
	centred(`Certificate ${certificate.certificateCode}`, 110, bold, 12)
	centred(`Check that it is genuine and still valid at ${verifyUrl}`, 88, regular, 11, MUTED)
	return pdf.save()
}
