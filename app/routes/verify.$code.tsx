import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { formatDate } from '#app/utils/format-date.ts'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { requirePublicCertificate } from '#app/modules/certificates/certificates.server.ts'

export const meta: MetaFunction = () => [{ title: 'Verify a certificate · Bulwark' }, { name: 'robots', content: 'noindex' }]

const STATUS_MESSAGES = {
	valid: 'This certificate is genuine and valid.',
	expired: 'This certificate is genuine but has expired: the training needs renewing.',
	revoked: 'This certificate has been revoked and is no longer valid.',
} as const

/** Public: shows only the learner's name, the course, the completion date and the status. */
export async function loader({ params }: LoaderFunctionArgs) {
	const { learnerName, courseTitle, completedAt, status } = await requirePublicCertificate(params.code)
	return { learnerName, courseTitle, completedAt, status }
}

export default function VerifyCertificate() {
	const certificate = useLoaderData<typeof loader>()
	return (
		<section className="card narrow verify" aria-labelledby="verify-title">
			<h1 id="verify-title">Certificate check</h1>
			<p role="status" className={`verify-status status-${certificate.status}`}>
				{STATUS_MESSAGES[certificate.status]}
			</p>
			<dl className="facts">
				<dt>Learner</dt>
				<dd>{certificate.learnerName}</dd>
				<dt>Course</dt>
				<dd>{certificate.courseTitle}</dd>
				<dt>Completed on</dt>
				<dd>{formatDate(certificate.completedAt)}</dd>
			</dl>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
