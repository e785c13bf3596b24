import { type ActionFunctionArgs, data, type MetaFunction } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { ResetPasswordForm } from '#app/components/auth/reset-password-form.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ACCOUNT_MESSAGES } from '#app/modules/auth/account-messages.ts'
import { findOpenAccountToken } from '#app/modules/auth/account-tokens.server.ts'
import { findPasswordProblem } from '#app/modules/auth/password-policy.server.ts'
import { resetPassword } from '#app/modules/auth/password-reset.server.ts'
import { ResetPasswordSchema } from '#app/modules/auth/schemas.ts'
import { serializeBlankSessionCookie } from '#app/modules/auth/session.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Choose a new password · Bulwark' }]

const hideFields = ['password', 'confirmPassword']

/** Where the reset form posts: the token comes in the body, never in this address. */
export async function action({ request }: ActionFunctionArgs) {
	const submission = await readSubmission(request, ResetPasswordSchema)
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields }) }, { status: 400 })
	const { token, password } = submission.value
	const linkInvalid = () => data({ result: submission.reply({ formErrors: [ACCOUNT_MESSAGES.resetLinkInvalid], hideFields }) }, { status: 410 })
	const holder = await findOpenAccountToken(token, 'RESET')
	if (!holder) return linkInvalid()
	const problem = findPasswordProblem(password, holder)
	if (problem) return data({ result: submission.reply({ fieldErrors: { password: [problem] }, hideFields }) }, { status: 400 })
	const reset = await resetPassword({ token, password, origin: getAppOrigin(request, getEnv().APP_URL) })
	if (reset.status === 'invalid') return linkInvalid()
	// Every session ended, this browser's too: log-in asks for whatever the account needs.
	return redirectWithFlash('/login', { type: 'success', message: ACCOUNT_MESSAGES.resetDone }, { headers: { 'Set-Cookie': serializeBlankSessionCookie() } })
}

export default function ResetPasswordPage() {
	const actionData = useActionData<typeof action>()
	return (
		<div className="card narrow">
			<h1>Choose a new password</h1>
			{actionData ? <ResetPasswordForm lastResult={actionData.result} /> : <p>Open the link we emailed you to choose a new password.</p>}
			<p>
				<Link to="/forgot-password">Ask for a new link</Link>
			</p>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
