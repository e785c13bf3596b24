import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { Field, useSchemaForm } from '#app/components/forms.tsx'
import { PasskeySignInButton } from '#app/components/passkeys.tsx'
import { requireAnonymous, verifyLogin } from '#app/modules/auth/auth.server.ts'
import { continueAfterFirstFactor } from '#app/modules/auth/mfa/login-challenge.server.ts'
import { LoginSchema } from '#app/modules/auth/schemas.ts'
import { SSO_MESSAGES } from '#app/modules/sso/messages.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { forwardRetryAfter, tooManyAttempts } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Log in · Bulwark' }]

export const headers = forwardRetryAfter

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request)
	return {}
}

export async function action({ request, context }: ActionFunctionArgs) {
	await requireAnonymous(request)
	const submission = await readSubmission(request, LoginSchema)
	if (submission.status !== 'success') {
		return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
	}
	const { email, password, redirectTo } = submission.value
	const login = await verifyLogin({ email, password, ip: context.clientIp })
	if (login.status === 'rate-limited') {
		return tooManyAttempts(submission, login, ['password'])
	}
	if (login.status === 'sso-required') {
		return data({ result: submission.reply({ formErrors: [SSO_MESSAGES.passwordRefused], hideFields: ['password'] }) }, { status: 403 })
	}
	if (login.status === 'invalid') {
		return data(
			{ result: submission.reply({ formErrors: ['The email address or password is incorrect.'], hideFields: ['password'] }) },
			{ status: 400 },
		)
	}
	return continueAfterFirstFactor(request, login.userId, redirectTo ?? '/dashboard')
}

export default function LoginPage() {
	const actionData = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const navigation = useNavigation()
	const [form, fields] = useSchemaForm(LoginSchema, { id: 'login', lastResult: actionData?.result })
	return (
		<div className="card narrow">
			<h1>Log in</h1>
			<Form method="POST" {...getFormProps(form)}>
				<input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
				{form.errors?.length ? (
					<p id={form.errorId} role="alert" className="form-error">
						{form.errors.join(' ')}
					</p>
				) : null}
				<Field label="Email" errors={fields.email.errors} inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email' }} />
				<Field
					label="Password"
					errors={fields.password.errors}
					inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'current-password' }}
				/>
				<button type="submit" disabled={navigation.state === 'submitting'}>
					Log in
				</button>
			</Form>
			<PasskeySignInButton action="/login/passkey" fields={{ redirectTo: searchParams.get('redirectTo') ?? '' }} className="button-secondary passkey-sign-in">
				Sign in with a passkey
			</PasskeySignInButton>
			<p>
				<Link to="/forgot-password">Forgot password?</Link>
			</p>
			<p>
				<Link to={`/sso?${searchParams}`}>Sign in with SSO</Link>
			</p>
			<p>
				New here? <Link to={`/signup?${searchParams}`}>Create an account</Link>
			</p>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
