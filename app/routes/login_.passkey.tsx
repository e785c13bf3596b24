import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { PasskeySignInButton } from '#app/components/passkeys.tsx'
import { requireAnonymous } from '#app/modules/auth/auth.server.ts'
import { checkPasswordlessPasskey, completeLogin, createLoginChallenge, readLoginChallenge } from '#app/modules/auth/mfa/login-challenge.server.ts'
import { MFA_MESSAGES } from '#app/modules/auth/mfa/messages.ts'
import { passkeyAuthenticationOptions, verifyPasskeyAssertion } from '#app/modules/auth/mfa/passkeys.server.ts'
import { PasskeyLoginSchema, PasskeyOptionsSchema } from '#app/modules/auth/mfa/schemas.ts'
import { mustSignInWithSso } from '#app/modules/sso/connections.server.ts'
import { SSO_MESSAGES } from '#app/modules/sso/messages.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'

// Password-less sign-in with a passkey (a discoverable credential); the log-in page's button posts
// here too. `options` opens a pending log-in without a user (or reuses this browser's) and answers
// the WebAuthn options; `passkey` checks the browser's answer and starts the owner's session.

export const meta: MetaFunction = () => [{ title: 'Sign in with a passkey · Bulwark' }]

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request)
	return {}
}

export async function action({ request, context }: ActionFunctionArgs) {
	await requireAnonymous(request)
	const formData = await readForm(request)
	const intent = readIntent(formData, ['options', 'passkey'])
	if (intent === 'options') {
		const submission = parseSubmission(formData, PasskeyOptionsSchema)
		const redirectTo = submission.status === 'success' ? submission.value.redirectTo : undefined
		const pending = await readLoginChallenge(request)
		if (pending && !pending.userId) return { options: await passkeyAuthenticationOptions(request, pending) }
		const challenge = await createLoginChallenge({ userId: null, redirectTo })
		const options = await passkeyAuthenticationOptions(request, { id: challenge.id, userId: null })
		return data({ options }, { headers: { 'Set-Cookie': challenge.setCookie } })
	}
	const submission = parseSubmission(formData, PasskeyLoginSchema)
	if (submission.status !== 'success') return data({ message: MFA_MESSAGES.passkeyRefused }, { status: 400 })
	const challenge = await readLoginChallenge(request)
	if (!challenge || challenge.userId) return data({ message: MFA_MESSAGES.loginExpired }, { status: 400 })
	const checked = await checkPasswordlessPasskey(challenge, context.clientIp, () => verifyPasskeyAssertion(request, challenge, submission.value.response))
	if (checked.status === 'rate-limited') return data({ message: checked.message }, { status: 429, headers: { 'Retry-After': String(checked.retryAfterSeconds) } })
	if (checked.status === 'expired') return data({ message: checked.message }, { status: 400 })
	if (checked.status === 'unknown') return data({ message: MFA_MESSAGES.passkeyUnknown }, { status: 400 })
	if (checked.status === 'refused') return data({ message: MFA_MESSAGES.passkeyRefused }, { status: 400 })
	if (await mustSignInWithSso({ id: checked.userId, email: checked.email })) return data({ message: SSO_MESSAGES.passkeyRefused }, { status: 403 })
	return completeLogin(request, checked.userId, challenge.redirectTo ?? '/dashboard')
}

export default function PasskeySignInPage() {
	const [searchParams] = useSearchParams()
	return (
		<div className="card narrow stack">
			<h1 className="flush-top">Sign in with a passkey</h1>
			<p className="muted">Your device asks for its screen lock (fingerprint, face or PIN); no password needed.</p>
			<PasskeySignInButton action="/login/passkey" fields={{ redirectTo: searchParams.get('redirectTo') ?? '' }}>
				Sign in with a passkey
			</PasskeySignInButton>
			<p>
				<Link to={`/login?${searchParams}`}>Log in with your password instead</Link>
			</p>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
