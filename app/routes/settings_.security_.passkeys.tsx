import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { AddPasskeyForm } from '#app/components/passkeys.tsx'
import { requireSession } from '#app/modules/auth/auth.server.ts'
import { continueAfterSetUp } from '#app/modules/auth/mfa/login-challenge.server.ts'
import { SECURITY_SETTINGS_PATH } from '#app/modules/auth/mfa/paths.ts'
import { MFA_MESSAGES } from '#app/modules/auth/mfa/messages.ts'
import { passkeyRegistrationOptions, registerPasskey } from '#app/modules/auth/mfa/passkeys.server.ts'
import { RegisterPasskeySchema } from '#app/modules/auth/mfa/schemas.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'

// Adding a passkey (AddPasskeyForm, here and in Account settings → Security): `options` answers
// the WebAuthn creation options and keeps their challenge; `register` checks the browser's answer.

export const meta: MetaFunction = () => [{ title: 'Add a passkey · Bulwark' }]

export async function loader({ request }: LoaderFunctionArgs) {
	await requireSession(request)
	return { continueTo: continueAfterSetUp(request), search: new URL(request.url).search }
}

const REFUSALS = {
	expired: MFA_MESSAGES.registrationExpired,
	refused: MFA_MESSAGES.passkeyRefused,
	duplicate: MFA_MESSAGES.passkeyAlreadyRegistered,
} as const

export async function action({ request }: ActionFunctionArgs) {
	const session = await requireSession(request)
	const formData = await readForm(request)
	const intent = readIntent(formData, ['options', 'register'])
	if (intent === 'options') return { options: await passkeyRegistrationOptions(request, session.user) }
	const submission = parseSubmission(formData, RegisterPasskeySchema)
	if (submission.status !== 'success') {
		const fieldErrors = Object.fromEntries(Object.entries(submission.error ?? {}).filter((entry): entry is [string, string[]] => Array.isArray(entry[1])))
		return data({ fieldErrors }, { status: 400 })
	}
	const registered = await registerPasskey(request, session.user, submission.value)
	if (registered.status !== 'ok') return data({ message: REFUSALS[registered.status] }, { status: 400 })
	if (registered.recoveryCodes) return { recoveryCodes: registered.recoveryCodes }
	return redirectWithFlash(continueAfterSetUp(request), { type: 'success', message: MFA_MESSAGES.passkeyAdded(submission.value.name) })
}

export default function AddPasskeyPage() {
	const { continueTo, search } = useLoaderData<typeof loader>()
	return (
		<div className="stack">
			<h1>Add a passkey</h1>
			<p className="muted">
				<Link to={`${SECURITY_SETTINGS_PATH}${search}`}>Back to security settings</Link>
			</p>
			<section className="card">
				<AddPasskeyForm action={`/settings/security/passkeys${search}`} continueTo={continueTo} />
			</section>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
