import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, useSchemaForm } from '#app/components/forms.tsx'
import { ACCOUNT_MESSAGES } from '#app/modules/auth/account-messages.ts'
import { requestPasswordReset } from '#app/modules/auth/password-reset.server.ts'
import { ForgotPasswordSchema } from '#app/modules/auth/schemas.ts'
import { isEmailConfigured } from '#app/utils/email.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { forwardRetryAfter, getAppOrigin, tooManyAttempts } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Forgot password · Bulwark' }]

export const headers = forwardRetryAfter

export function loader() {
	return { emailConfigured: isEmailConfigured() }
}

export async function action({ request, context }: ActionFunctionArgs) {
	const submission = await readSubmission(request, ForgotPasswordSchema)
	if (submission.status !== 'success') return data({ result: submission.reply(), notice: null }, { status: 400 })
	const requested = await requestPasswordReset({ email: submission.value.email, ip: context.clientIp, origin: getAppOrigin(request, getEnv().APP_URL) })
	if (requested.status === 'rate-limited') return tooManyAttempts(submission, requested, [])
	const notice = requested.status === 'email-off' ? ACCOUNT_MESSAGES.resetWithoutEmail : ACCOUNT_MESSAGES.resetRequested
	return data({ result: submission.reply({ resetForm: true }), notice })
}

export default function ForgotPasswordPage() {
	const { emailConfigured } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useSchemaForm(ForgotPasswordSchema, { id: 'forgot-password', lastResult: actionData?.result })
	const notice = actionData && 'notice' in actionData && typeof actionData.notice === 'string' ? actionData.notice : null
	return (
		<div className="card narrow">
			<h1>Forgot your password?</h1>
			{notice ? (
				<p role="status">{notice}</p>
			) : emailConfigured ? (
				<>
					<p className="muted">Enter the address you log in with. We email it a link to choose a new password.</p>
					<Form method="POST" {...getFormProps(form)}>
						<Field label="Email" errors={fields.email.errors} inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email' }} />
						<ErrorList id={form.errorId} errors={form.errors} />
						<button type="submit" disabled={navigation.state === 'submitting'}>
							Email me a reset link
						</button>
					</Form>
				</>
			) : (
				<p>{ACCOUNT_MESSAGES.resetWithoutEmail}</p>
			)}
			<p>
				<Link to="/login">Back to log in</Link>
			</p>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
