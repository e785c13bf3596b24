import type { PDFFont } from 'pdf-lib'
import { formatDate } from '#app/utils/format-date.ts'
import { createPdf, drawCentred, PDF_COLOURS } from '#app/utils/pdf.server.ts'
import type { OwnCertificate } from './certificates.server.ts'

const { ink: INK, muted: MUTED, accent: ACCENT, danger: DANGER } = PDF_COLOURS

export async function renderCertificatePdf(certificate: OwnCertificate, verifyUrl: string) {
	const { pdf, regular, bold } = await createPdf({
		title: `Certificate: ${certificate.courseTitle}`,
		subject: `${certificate.learnerName} completed ${certificate.courseTitle}`,
	})
	const page = pdf.addPage([842, 595])
	const { width, height } = page.getSize()
	const centred = (text: string, y: number, font: PDFFont, size: number, color = INK) => drawCentred(page, text, y, font, size, color)
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
	if (certificate.status === 'expired') centred(`EXPIRED: valid until ${formatDate(certificate.expiresAt)}`, 150, bold, 16, DANGER)
	centred(`Certificate ${certificate.certificateCode}`, 110, bold, 12)
	centred(`Check that it is genuine and still valid at ${verifyUrl}`, 88, regular, 11, MUTED)
	return pdf.save()
}
