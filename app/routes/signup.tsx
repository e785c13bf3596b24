import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, useSchemaForm } from '#app/components/forms.tsx'
import { ACCOUNT_MESSAGES } from '#app/modules/auth/account-messages.ts'
import { requireAnonymous, signUp, startSession } from '#app/modules/auth/auth.server.ts'
import { findPasswordProblem } from '#app/modules/auth/password-policy.server.ts'
import { PASSWORD_MIN_LENGTH, SignupSchema } from '#app/modules/auth/schemas.ts'
import { SSO_MESSAGES } from '#app/modules/sso/messages.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { forwardRetryAfter, getAppOrigin, tooManyAttempts } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Sign up · Bulwark' }]

export const headers = forwardRetryAfter

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request)
	return {}
}

export async function action({ request, context }: ActionFunctionArgs) {
	await requireAnonymous(request)
	const submission = await readSubmission(
		request,
		SignupSchema.superRefine((value, ctx) => {
			const problem = findPasswordProblem(value.password, value)
			if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem })
		}),
	)
	if (submission.status !== 'success') {
		return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
	}
	const { name, email, password, redirectTo } = submission.value
	const signup = await signUp({ name, email, password, ip: context.clientIp, origin: getAppOrigin(request, getEnv().APP_URL) })
	if (signup.status === 'rate-limited') {
		return tooManyAttempts(submission, signup, ['password'])
	}
	if (signup.status === 'sso-required') {
		return data({ result: submission.reply({ fieldErrors: { email: [SSO_MESSAGES.signUpRefused] }, hideFields: ['password'] }) }, { status: 403 })
	}
	// The same answer for a new address and a taken one: only the mailbox's owner learns which (decision 028).
	if (signup.status === 'check-inbox') return data({ result: submission.reply({ resetForm: true }), sentTo: email })
	if (signup.status === 'refused') {
		return data({ result: submission.reply({ formErrors: [ACCOUNT_MESSAGES.signupRefused], hideFields: ['password'] }) }, { status: 400 })
	}
	return startSession(request, signup.userId, redirectTo ?? '/dashboard')
}

export default function SignupPage() {
	const actionData = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const navigation = useNavigation()
	const [form, fields] = useSchemaForm(SignupSchema, { id: 'signup', lastResult: actionData?.result })
	if (actionData && 'sentTo' in actionData && typeof actionData.sentTo === 'string') {
		return (
			<div className="card narrow">
				<h1>Check your inbox</h1>
				<p role="status">{ACCOUNT_MESSAGES.signupCheckInbox(actionData.sentTo)}</p>
				<p className="muted">Nothing arrived? Look in the spam folder, or sign up again in a few minutes.</p>
			</div>
		)
	}
	return (
		<div className="card narrow">
			<h1>Create your account</h1>
			<p className="muted">Free modules need nothing more than an account. You can create or join an organisation later.</p>
			<Form method="POST" {...getFormProps(form)}>
				<input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
				<Field label="Name" errors={fields.name.errors} inputProps={{ ...getInputProps(fields.name, { type: 'text' }), autoComplete: 'name' }} />
				<Field label="Email" errors={fields.email.errors} inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email' }} />
				<Field
					label="Password"
					hint={`At least ${PASSWORD_MIN_LENGTH} characters. A passphrase of a few unrelated words is strong and easy to remember.`}
					errors={fields.password.errors}
					inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'new-password' }}
				/>
				<ErrorList id={form.errorId} errors={form.errors} />
				<button type="submit" disabled={navigation.state === 'submitting'}>
					Sign up
				</button>
			</Form>
			<p>
				Already have an account? <Link to={`/login?${searchParams}`}>Log in</Link>
			</p>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
