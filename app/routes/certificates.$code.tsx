import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { CertificateCard } from '#app/components/courses/certificate-card.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { requireSession } from '#app/modules/auth/auth.server.ts'
import { requireOwnCertificate } from '#app/modules/certificates/certificates.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'
import { getEnv } from '#app/utils/env.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Certificate: ${data.certificate.courseTitle} · Bulwark` : 'Certificate · Bulwark' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const session = await requireSession(request)
	const certificate = await requireOwnCertificate(session.user.id, params.code)
	const verifyUrl = `${getAppOrigin(request, getEnv().APP_URL)}/verify/${certificate.certificateCode}`
	return { certificate, verifyUrl }
}

export default function CertificatePage() {
	const { certificate, verifyUrl } = useLoaderData<typeof loader>()
	return (
		<div className="stack">
			<CertificateCard certificate={certificate} verifyUrl={verifyUrl} />
			<p className="actions no-print">
				<a href={`/certificates/${certificate.certificateCode}.pdf`} className="button" download>
					Download PDF
				</a>
				<Link to={`/verify/${certificate.certificateCode}`} className="button button-secondary">
					Open the public verification page
				</Link>
				<Link to="/dashboard">Back to your training</Link>
			</p>
			<p className="muted small no-print">Print this page or download the PDF. Anyone with the code can check the certificate; nobody can guess it.</p>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
