import { type ActionFunctionArgs, data, type MetaFunction } from '@remix-run/node'
import { useActionData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList } from '#app/components/forms.tsx'
import { ACCOUNT_MESSAGES } from '#app/modules/auth/account-messages.ts'
import { getAuthSession, requireSession } from '#app/modules/auth/auth.server.ts'
import { confirmEmail, resendVerificationLink } from '#app/modules/auth/email-verification.server.ts'
import { ConfirmEmailSchema, ResendVerificationSchema } from '#app/modules/auth/schemas.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'
import { forwardRetryAfter, getAppOrigin, tooManyAttempts } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Confirm your email address · Bulwark' }]

export const headers = forwardRetryAfter

/** Where the confirmation button (token in the body) and the banner's "Send a new link" post. */
export async function action({ request }: ActionFunctionArgs) {
	const formData = await readForm(request)
	if (readIntent(formData, ['confirm', 'resend']) === 'confirm') {
		const submission = parseSubmission(formData, ConfirmEmailSchema)
		if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
		const confirmed = await confirmEmail(submission.value.token)
		if (confirmed.status === 'invalid') return data({ result: submission.reply({ formErrors: [ACCOUNT_MESSAGES.verifyLinkInvalid] }) }, { status: 410 })
		const { session } = await getAuthSession(request)
		if (session?.user.id === confirmed.userId) return redirectWithFlash('/dashboard', { type: 'success', message: ACCOUNT_MESSAGES.verifyDoneSignedIn })
		// Holding the mailbox is not knowing the password someone chose at sign-up: log-in asks for it.
		return redirectWithFlash('/login', { type: 'success', message: ACCOUNT_MESSAGES.verifyDone })
	}
	const session = await requireSession(request)
	const submission = parseSubmission(formData, ResendVerificationSchema)
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const back = submission.value.redirectTo ?? '/dashboard'
	const resent = await resendVerificationLink({ userId: session.user.id, origin: getAppOrigin(request, getEnv().APP_URL) })
	if (resent.status === 'rate-limited') return tooManyAttempts(submission, resent, [])
	if (resent.status === 'email-off') return redirectWithFlash(back, { type: 'error', message: ACCOUNT_MESSAGES.verificationWithoutEmail })
	if (resent.status === 'verified') return redirectWithFlash(back, { type: 'success', message: ACCOUNT_MESSAGES.alreadyVerified })
	return redirectWithFlash(back, { type: 'success', message: ACCOUNT_MESSAGES.verificationSent(resent.email) })
}

export default function VerifyEmailPage() {
	const actionData = useActionData<typeof action>()
	return (
		<div className="card narrow">
			<h1>Confirm your email address</h1>
			{actionData?.result?.error?.[''] ? (
				<div role="alert" className="form-error">
					<ErrorList errors={actionData.result.error['']} />
				</div>
			) : (
				<p>Open the confirmation link we emailed you.</p>
			)}
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
