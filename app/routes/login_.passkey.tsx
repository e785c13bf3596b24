import { type ActionFunctionArgs, data, redirect } from '@remix-run/node'
import { requireAnonymous } from '#app/modules/auth/auth.server.ts'
import { checkPasswordlessPasskey, completeLogin, createLoginChallenge, readLoginChallenge } from '#app/modules/auth/mfa/login-challenge.server.ts'
import { MFA_MESSAGES } from '#app/modules/auth/mfa/messages.ts'
import { passkeyAuthenticationOptions, verifyPasskeyAssertion } from '#app/modules/auth/mfa/passkeys.server.ts'
import { PasskeyLoginSchema, PasskeyOptionsSchema } from '#app/modules/auth/mfa/schemas.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'

// Password-less sign-in with a passkey (a discoverable credential), for the log-in page's button:
// `options` opens a pending log-in without a user and answers the WebAuthn options; `passkey`
// checks the browser's answer and starts the session of the passkey's owner.

export function loader() {
	return redirect('/login')
}

export async function action({ request, context }: ActionFunctionArgs) {
	await requireAnonymous(request)
	const formData = await readForm(request)
	const intent = readIntent(formData, ['options', 'passkey'])
	if (intent === 'options') {
		const submission = parseSubmission(formData, PasskeyOptionsSchema)
		const redirectTo = submission.status === 'success' ? submission.value.redirectTo : undefined
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
	return completeLogin(request, checked.userId, challenge.redirectTo ?? '/dashboard')
}
