import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData, useParams } from '@remix-run/react'
import { useTokenOutOfAddress } from '#app/components/auth/token-from-address.ts'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ACCOUNT_MESSAGES } from '#app/modules/auth/account-messages.ts'
import { findOpenAccountToken } from '#app/modules/auth/account-tokens.server.ts'
import { keepOutOfCaches } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Confirm your email address · Bulwark' }]

export const headers = keepOutOfCaches

/** The emailed link: read only, so a mail scanner that opens it confirms nothing. The button does. */
export async function loader({ params }: LoaderFunctionArgs) {
	const holder = await findOpenAccountToken(params.token ?? '', 'VERIFY')
	if (!holder) return data({ email: null, problem: ACCOUNT_MESSAGES.verifyLinkInvalid }, { status: 410 })
	return { email: holder.email, problem: null }
}

export default function VerifyEmailLinkPage() {
	const { email, problem } = useLoaderData<typeof loader>()
	const { token } = useParams()
	useTokenOutOfAddress('/verify-email')
	return (
		<div className="card narrow">
			<h1>Confirm your email address</h1>
			{problem ? (
				<p role="alert" className="form-error">
					{problem}
				</p>
			) : (
				<>
					<p>
						Confirm that <strong>{email}</strong> is your address. If you did not create a Bulwark account, do not confirm: close this page.
					</p>
					<Form method="POST" action="/verify-email">
						<input type="hidden" name="intent" value="confirm" />
						<input type="hidden" name="token" value={token} />
						<button type="submit">Confirm my address</button>
					</Form>
				</>
			)}
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
