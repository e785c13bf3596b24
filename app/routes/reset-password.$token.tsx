import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useParams } from '@remix-run/react'
import { ResetPasswordForm } from '#app/components/auth/reset-password-form.tsx'
import { useTokenOutOfAddress } from '#app/components/auth/token-from-address.ts'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ACCOUNT_MESSAGES } from '#app/modules/auth/account-messages.ts'
import { findOpenAccountToken } from '#app/modules/auth/account-tokens.server.ts'
import { keepOutOfCaches } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Choose a new password · Bulwark' }]

export const headers = keepOutOfCaches

/** The emailed link: read only, so a mail scanner that opens it uses nothing up. */
export async function loader({ params }: LoaderFunctionArgs) {
	const holder = await findOpenAccountToken(params.token ?? '', 'RESET')
	if (!holder) return data({ email: null, problem: ACCOUNT_MESSAGES.resetLinkInvalid }, { status: 410 })
	return { email: holder.email, problem: null }
}

export default function ResetPasswordLinkPage() {
	const { email, problem } = useLoaderData<typeof loader>()
	const { token } = useParams()
	useTokenOutOfAddress('/reset-password')
	return (
		<div className="card narrow">
			<h1>Choose a new password</h1>
			{problem ? (
				<>
					<p role="alert" className="form-error">
						{problem}
					</p>
					<p>
						<Link to="/forgot-password">Ask for a new link</Link>
					</p>
				</>
			) : (
				<>
					<p className="muted">For {email}. Setting it logs you out everywhere.</p>
					<ResetPasswordForm token={token} />
				</>
			)}
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
