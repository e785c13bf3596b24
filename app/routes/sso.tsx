import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { Field, useSchemaForm } from '#app/components/forms.tsx'
import { requireAnonymous } from '#app/modules/auth/auth.server.ts'
import { SSO_MESSAGES } from '#app/modules/sso/messages.ts'
import { SsoStartSchema } from '#app/modules/sso/schemas.ts'
import { startSsoSignIn, takeSsoStartAttempt } from '#app/modules/sso/sign-in.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { forwardRetryAfter, getAppOrigin, tooManyAttempts } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Sign in with SSO · Bulwark' }]

export const headers = forwardRetryAfter

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request)
	return {}
}

export async function action({ request, context }: ActionFunctionArgs) {
	await requireAnonymous(request)
	const submission = await readSubmission(request, SsoStartSchema)
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const refusal = await takeSsoStartAttempt(context.clientIp)
	if (refusal) return tooManyAttempts(submission, refusal, [])
	const { email, redirectTo } = submission.value
	const started = await startSsoSignIn({ email, redirectTo, origin: getAppOrigin(request, getEnv().APP_URL) })
	if (started.status === 'no-connection') {
		return data({ result: submission.reply({ fieldErrors: { email: [SSO_MESSAGES.noOrganisationForDomain] } }) }, { status: 400 })
	}
	return redirect(started.url, { headers: { 'Set-Cookie': started.setCookie } })
}

export default function SsoPage() {
	const actionData = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const navigation = useNavigation()
	const [form, fields] = useSchemaForm(SsoStartSchema, { id: 'sso', lastResult: actionData?.result })
	return (
		<div className="card narrow">
			<h1>Sign in with SSO</h1>
			<p className="muted">Enter your work email address: we send you to your organisation’s sign-in page.</p>
			<Form method="POST" {...getFormProps(form)}>
				<input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
				{form.errors?.length ? (
					<p id={form.errorId} role="alert" className="form-error">
						{form.errors.join(' ')}
					</p>
				) : null}
				<Field label="Work email" errors={fields.email.errors} inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email' }} />
				<button type="submit" disabled={navigation.state === 'submitting'}>
					Continue
				</button>
			</Form>
			<p>
				<Link to={`/login?${searchParams}`}>Log in with a password instead</Link>
			</p>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
