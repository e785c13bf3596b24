import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { Field, useSchemaForm } from '#app/components/forms.tsx'
import { PasskeySignInButton } from '#app/components/passkeys.tsx'
import { requireAnonymous } from '#app/modules/auth/auth.server.ts'
import { secondFactorsOf } from '#app/modules/auth/mfa/factors.server.ts'
import { blankChallengeCookie, checkSecondFactor, completeLogin, requirePendingLogin } from '#app/modules/auth/mfa/login-challenge.server.ts'
import { MFA_MESSAGES } from '#app/modules/auth/mfa/messages.ts'
import { redeemRecoveryCode } from '#app/modules/auth/mfa/recovery-codes.server.ts'
import { passkeyAuthenticationOptions, verifyPasskeyAssertion } from '#app/modules/auth/mfa/passkeys.server.ts'
import { PasskeyLoginSchema, RecoveryLoginSchema, TotpLoginSchema } from '#app/modules/auth/mfa/schemas.ts'
import { verifyTotpCode } from '#app/modules/auth/mfa/totp.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'
import { forwardRetryAfter, tooManyAttempts } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Second step · Log in · Bulwark' }]

export const headers = forwardRetryAfter

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request)
	const challenge = await requirePendingLogin(request)
	const factors = await secondFactorsOf(challenge.user.id)
	return { totp: factors.totp, passkeys: factors.passkeys > 0 }
}

/** The pending log-in is over (used, expired, too many wrong codes): back to the password. */
function startAgain(message: string) {
	return redirectWithFlash('/login', { type: 'error', message }, { headers: { 'Set-Cookie': blankChallengeCookie() } })
}

export async function action({ request, context }: ActionFunctionArgs) {
	await requireAnonymous(request)
	// Read (within its bounds) before anything else, so a hostile body is refused even without a pending log-in.
	const formData = await readForm(request)
	const challenge = await requirePendingLogin(request)
	const intent = readIntent(formData, ['totp', 'recovery', 'options', 'passkey'])
	const { user } = challenge
	if (intent === 'options') return { options: await passkeyAuthenticationOptions(request, challenge) }
	if (intent === 'passkey') {
		const passkey = parseSubmission(formData, PasskeyLoginSchema)
		if (passkey.status !== 'success') return data({ message: MFA_MESSAGES.passkeyRefused }, { status: 400 })
		const checked = await checkSecondFactor({ id: challenge.id, userId: user.id }, context.clientIp, async () => {
			const verified = await verifyPasskeyAssertion(request, challenge, passkey.value.response)
			return verified.status === 'ok'
		})
		if (checked.status === 'rate-limited') return data({ message: checked.message }, { status: 429, headers: { 'Retry-After': String(checked.retryAfterSeconds) } })
		if (checked.status === 'expired') return startAgain(checked.message)
		if (checked.status === 'invalid') return data({ message: MFA_MESSAGES.passkeyRefused }, { status: 400 })
		return completeLogin(request, user.id, challenge.redirectTo ?? '/dashboard')
	}
	const submission = intent === 'totp' ? parseSubmission(formData, TotpLoginSchema) : parseSubmission(formData, RecoveryLoginSchema)
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['code'] }), form: intent }, { status: 400 })
	const code = submission.value.code
	const checked = await checkSecondFactor({ id: challenge.id, userId: user.id }, context.clientIp, () =>
		intent === 'totp' ? verifyTotpCode(user.id, code) : redeemRecoveryCode(user, code),
	)
	if (checked.status === 'rate-limited') return tooManyAttempts(submission, checked, ['code'])
	if (checked.status === 'expired') return startAgain(checked.message)
	if (checked.status === 'invalid') {
		const message = intent === 'totp' ? MFA_MESSAGES.wrongTotpCode : MFA_MESSAGES.wrongRecoveryCode
		return data({ result: submission.reply({ fieldErrors: { code: [message] }, hideFields: ['code'] }), form: intent }, { status: 400 })
	}
	return completeLogin(request, user.id, challenge.redirectTo ?? '/dashboard')
}

export default function SecondFactorPage() {
	const { totp, passkeys } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const formOf = (intent: 'totp' | 'recovery') => (actionData && 'form' in actionData && 'result' in actionData && actionData.form === intent ? actionData.result : undefined)
	// A refusal by the rate limit belongs to no one form.
	const pageErrors = actionData && 'result' in actionData && !('form' in actionData) ? actionData.result.error?.[''] : null
	const [totpForm, totpFields] = useSchemaForm(TotpLoginSchema, { id: 'totp-login', lastResult: formOf('totp') })
	const [recoveryForm, recoveryFields] = useSchemaForm(RecoveryLoginSchema, { id: 'recovery-login', lastResult: formOf('recovery') })
	const submitting = navigation.state === 'submitting'
	return (
		<div className="card narrow stack">
			<h1 className="flush-top">Confirm it is you</h1>
			<p className="muted">Your password was right. Finish logging in with your second factor.</p>
			{pageErrors?.length ? (
				<p role="alert" className="form-error">
					{pageErrors.join(' ')}
				</p>
			) : null}
			{passkeys ? (
				<PasskeySignInButton action="/login/second-factor" className={totp ? 'button-secondary' : undefined}>
					Use your passkey
				</PasskeySignInButton>
			) : null}
			{totp ? (
				<Form method="POST" {...getFormProps(totpForm)}>
					<input type="hidden" name="intent" value="totp" />
					<Field
						label="Code from your authenticator app"
						errors={totpFields.code.errors}
						inputProps={{ ...getInputProps(totpFields.code, { type: 'text' }), autoComplete: 'one-time-code', inputMode: 'numeric', autoFocus: true }}
					/>
					<button type="submit" disabled={submitting}>
						Continue
					</button>
				</Form>
			) : null}
			<details open={Boolean(formOf('recovery'))}>
				<summary>Use a recovery code</summary>
				<Form method="POST" {...getFormProps(recoveryForm)}>
					<input type="hidden" name="intent" value="recovery" />
					<Field
						label="Recovery code"
						hint="One of the ten codes you saved when you set up your second factor. Each works once."
						errors={recoveryFields.code.errors}
						inputProps={{ ...getInputProps(recoveryFields.code, { type: 'text' }), autoComplete: 'off' }}
					/>
					<button type="submit" className="button-secondary" disabled={submitting}>
						Use recovery code
					</button>
				</Form>
			</details>
			<p>
				<Link to="/login">Start again</Link>
			</p>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
