import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { requireSession } from '#app/modules/auth/auth.server.ts'
import { renderCertificatePdf } from '#app/modules/certificates/certificate-pdf.server.ts'
import { requireOwnCertificate } from '#app/modules/certificates/certificates.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const session = await requireSession(request)
	const certificate = await requireOwnCertificate(session.user.id, params.code)
	// A revoked certificate is not handed out as a document that looks valid.
	if (certificate.status === 'revoked') throw data({ message: 'This certificate has been revoked, so it can no longer be downloaded.' }, { status: 410 })
	const verifyUrl = `${getAppOrigin(request, getEnv().APP_URL)}/verify/${certificate.certificateCode}`
	const pdf = await renderCertificatePdf(certificate, verifyUrl)
	return new Response(Buffer.from(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="bulwark-certificate-${certificate.certificateCode}.pdf"`,
			'Cache-Control': 'private, no-store',
		},
	})
}
