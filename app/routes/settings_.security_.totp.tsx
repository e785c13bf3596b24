import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, useSchemaForm } from '#app/components/forms.tsx'
import { RecoveryCodesNotice } from '#app/components/recovery-codes.tsx'
import { requireSession } from '#app/modules/auth/auth.server.ts'
import { continueAfterSetUp } from '#app/modules/auth/mfa/login-challenge.server.ts'
import { SECURITY_SETTINGS_PATH } from '#app/modules/auth/mfa/paths.ts'
import { MFA_MESSAGES } from '#app/modules/auth/mfa/messages.ts'
import { ConfirmTotpSchema } from '#app/modules/auth/mfa/schemas.ts'
import { confirmTotpEnrolment, describeTotpEnrolment, startTotpEnrolment } from '#app/modules/auth/mfa/totp.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'

export const meta: MetaFunction = () => [{ title: 'Set up an authenticator app · Bulwark' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const session = await requireSession(request)
	const enrolment = await describeTotpEnrolment(session.user)
	return { enrolment, continueTo: continueAfterSetUp(request) }
}

export async function action({ request }: ActionFunctionArgs) {
	const session = await requireSession(request)
	const formData = await readForm(request)
	const intent = readIntent(formData, ['start', 'confirm'])
	if (intent === 'start') {
		const started = await startTotpEnrolment(session.user.id)
		if (started.status === 'already-on') return redirectWithFlash(SECURITY_SETTINGS_PATH, { type: 'error', message: MFA_MESSAGES.totpAlreadyOn })
		const url = new URL(request.url)
		return redirect(`${url.pathname}${url.search}`)
	}
	const submission = parseSubmission(formData, ConfirmTotpSchema)
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['code'] }) }, { status: 400 })
	const confirmed = await confirmTotpEnrolment(session.user, submission.value.code)
	if (confirmed.status === 'missing') return data({ result: submission.reply({ formErrors: [MFA_MESSAGES.totpSetupMissing], hideFields: ['code'] }) }, { status: 400 })
	if (confirmed.status === 'invalid') return data({ result: submission.reply({ fieldErrors: { code: [MFA_MESSAGES.wrongTotpCode] }, hideFields: ['code'] }) }, { status: 400 })
	if (!confirmed.recoveryCodes) return redirectWithFlash(continueAfterSetUp(request), { type: 'success', message: MFA_MESSAGES.totpOn })
	return { recoveryCodes: confirmed.recoveryCodes }
}

export default function TotpSetupPage() {
	const { enrolment, continueTo } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const [form, fields] = useSchemaForm(ConfirmTotpSchema, { id: 'confirm-totp', lastResult: actionData && 'result' in actionData ? actionData.result : undefined })
	if (actionData && 'recoveryCodes' in actionData) {
		return (
			<div className="stack">
				<h1>Authenticator app set up</h1>
				<p role="status">From now on, logging in asks for a code from your authenticator app after your password.</p>
				<RecoveryCodesNotice codes={actionData.recoveryCodes} continueTo={continueTo} />
			</div>
		)
	}
	return (
		<div className="stack">
			<h1>Set up an authenticator app</h1>
			<p className="muted">
				<Link to={`/settings/security?${searchParams}`}>Back to security settings</Link>
			</p>
			{enrolment ? (
				<section className="card" aria-labelledby="scan-title">
					<h2 id="scan-title" className="flush-top">
						1. Add Bulwark to your app
					</h2>
					<p>Scan this code with an authenticator app (such as Google Authenticator, Microsoft Authenticator, 1Password or Aegis).</p>
					<img className="totp-qr" src={enrolment.qrCodeDataUrl} alt="QR code of your authenticator set-up key" />
					<p>
						Cannot scan it? Enter this set-up key in the app instead: <br />
						<code className="totp-secret" data-testid="totp-secret">
							{enrolment.secret}
						</code>
					</p>
					<h2>2. Enter the code it shows</h2>
					<Form method="POST" {...getFormProps(form)}>
						<input type="hidden" name="intent" value="confirm" />
						<Field
							label="Six-digit code"
							errors={fields.code.errors}
							inputProps={{ ...getInputProps(fields.code, { type: 'text' }), autoComplete: 'one-time-code', inputMode: 'numeric' }}
						/>
						<ErrorList id={form.errorId} errors={form.errors} />
						<button type="submit">Turn on</button>
					</Form>
				</section>
			) : (
				<section className="card">
					<p className="flush-top">An authenticator app shows a new six-digit code every 30 seconds. Logging in then asks for it after your password.</p>
					<Form method="POST">
						<input type="hidden" name="intent" value="start" />
						<button type="submit">Show the set-up code</button>
					</Form>
				</section>
			)}
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
