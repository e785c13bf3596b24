import type { CertificateStatus } from '#app/modules/courses/completion.ts'
import { formatDate } from '#app/utils/format-date.ts'

const STATUS_TEXT: Record<CertificateStatus, string> = { valid: 'Valid', expired: 'Expired', revoked: 'Revoked' }

/** The printable certificate; the PDF (certificate-pdf.server.ts) lays out the same facts. */
export function CertificateCard({
	certificate,
	verifyUrl,
}: {
	certificate: { learnerName: string; courseTitle: string; completedAt: Date | string; expiresAt: Date | string; certificateCode: string; status: CertificateStatus; courseVersion: string }
	verifyUrl: string
}) {
	return (
		<article className="certificate" aria-labelledby="certificate-title">
			<p className="certificate-brand">Bulwark</p>
			<h1 id="certificate-title">Certificate of completion</h1>
			<p className="muted">This certifies that</p>
			<p className="certificate-name">{certificate.learnerName}</p>
			<p className="muted">has completed the security-awareness course</p>
			<p className="certificate-course">{certificate.courseTitle}</p>
			<p>
				Completed on {formatDate(certificate.completedAt)} · valid until {formatDate(certificate.expiresAt)} · course version {certificate.courseVersion}
			</p>
			<p>
				Status: <strong className={`status-${certificate.status}`}>{STATUS_TEXT[certificate.status]}</strong>
			</p>
			<p className="certificate-code">
				Certificate {certificate.certificateCode}
				<br />
				<span className="muted small">Verify at {verifyUrl}</span>
			</p>
		</article>
	)
}
