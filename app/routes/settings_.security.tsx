import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, useSchemaForm } from '#app/components/forms.tsx'
import { AddPasskeyForm } from '#app/components/passkeys.tsx'
import { RecoveryCodesNotice } from '#app/components/recovery-codes.tsx'
import { requireSession } from '#app/modules/auth/auth.server.ts'
import { mayRemoveFactor, organisationsRequiringMfa, secondFactorsOf } from '#app/modules/auth/mfa/factors.server.ts'
import { SECURITY_SETTINGS_PATH } from '#app/modules/auth/mfa/paths.ts'
import { MFA_MESSAGES, SECURITY_ACTIONS, type SecurityAction } from '#app/modules/auth/mfa/messages.ts'
import { confirmCurrentPassword } from '#app/modules/auth/mfa/reauthenticate.server.ts'
import { countUnusedRecoveryCodes, regenerateRecoveryCodes } from '#app/modules/auth/mfa/recovery-codes.server.ts'
import { listPasskeys, removePasskey, renamePasskey } from '#app/modules/auth/mfa/passkeys.server.ts'
import { DisableTotpSchema, RegenerateRecoveryCodesSchema, RemovePasskeySchema, RenamePasskeySchema } from '#app/modules/auth/mfa/schemas.ts'
import { listSecurityEvents } from '#app/modules/auth/mfa/security-events.server.ts'
import { disableTotp } from '#app/modules/auth/mfa/totp.server.ts'
import { RedirectToSchema } from '#app/modules/auth/schemas.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'
import { forwardRetryAfter, tooManyAttempts } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Security · Account settings · Bulwark' }]

export const headers = forwardRetryAfter

export async function loader({ request }: LoaderFunctionArgs) {
	const session = await requireSession(request)
	const userId = session.user.id
	const [factors, passkeys, recoveryCodesLeft, events, requiredBy] = await Promise.all([
		secondFactorsOf(userId),
		listPasskeys(userId),
		countUnusedRecoveryCodes(userId),
		listSecurityEvents(userId),
		organisationsRequiringMfa(userId),
	])
	return {
		totp: factors.totp,
		hasFactor: factors.totp || factors.passkeys > 0,
		passkeys,
		recoveryCodesLeft,
		events: events.map((event) => ({ what: SECURITY_ACTIONS[event.action as SecurityAction] ?? event.action, label: event.label, at: event.createdAt })),
		requiredBy: requiredBy.map((organisation) => organisation.name),
		redirectTo: RedirectToSchema.parse(new URL(request.url).searchParams.get('redirectTo') ?? undefined) ?? null,
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const session = await requireSession(request)
	const user = session.user
	const formData = await readForm(request)
	const intent = readIntent(formData, ['disable-totp', 'regenerate-codes', 'rename', 'remove-passkey'])
	if (intent === 'rename') {
		const submission = parseSubmission(formData, RenamePasskeySchema)
		if (submission.status !== 'success') return data({ result: submission.reply(), form: intent }, { status: 400 })
		const { passkeyId, name } = submission.value
		if (!(await renamePasskey(user, passkeyId, name))) return redirectWithFlash(SECURITY_SETTINGS_PATH, { type: 'error', message: MFA_MESSAGES.passkeyMissing })
		return redirectWithFlash(SECURITY_SETTINGS_PATH, { type: 'success', message: MFA_MESSAGES.passkeyRenamed(name) })
	}
	const submission =
		intent === 'disable-totp'
			? parseSubmission(formData, DisableTotpSchema)
			: intent === 'regenerate-codes'
				? parseSubmission(formData, RegenerateRecoveryCodesSchema)
				: parseSubmission(formData, RemovePasskeySchema)
	const reply = (options: Parameters<typeof submission.reply>[0] = {}) => ({ result: submission.reply({ ...options, hideFields: ['password'] }), form: intent })
	if (submission.status !== 'success') return data(reply(), { status: 400 })
	const confirmed = await confirmCurrentPassword(user.id, submission.value.password)
	if (confirmed.status === 'rate-limited') return tooManyAttempts(submission, confirmed, ['password'])
	if (confirmed.status === 'invalid') return data(reply({ fieldErrors: { password: [MFA_MESSAGES.wrongPassword] } }), { status: 400 })
	if (intent === 'regenerate-codes') return { recoveryCodes: await regenerateRecoveryCodes(user) }
	const passkeyId = 'passkeyId' in submission.value ? submission.value.passkeyId : undefined
	if (!(await mayRemoveFactor(user.id, passkeyId ? { passkeyId } : { totp: true }))) {
		return data(reply({ formErrors: [MFA_MESSAGES.lastFactorRequired] }), { status: 400 })
	}
	if (!passkeyId) {
		await disableTotp(user)
		return redirectWithFlash(SECURITY_SETTINGS_PATH, { type: 'success', message: MFA_MESSAGES.totpOff })
	}
	const removed = await removePasskey(user, passkeyId)
	if (!removed) return redirectWithFlash(SECURITY_SETTINGS_PATH, { type: 'error', message: MFA_MESSAGES.passkeyMissing })
	return redirectWithFlash(SECURITY_SETTINGS_PATH, { type: 'success', message: MFA_MESSAGES.passkeyRemoved(removed) })
}

type FormResult = Parameters<typeof useSchemaForm>[1]['lastResult']

/** A change that weakens the account (a factor off, new codes) asks for the current password. */
function PasswordConfirmedForm({
	id,
	intent,
	schema,
	lastResult,
	label,
	passkeyId,
}: {
	id: string
	intent: 'disable-totp' | 'regenerate-codes' | 'remove-passkey'
	schema: typeof DisableTotpSchema | typeof RegenerateRecoveryCodesSchema | typeof RemovePasskeySchema
	lastResult: FormResult
	label: string
	passkeyId?: string
}) {
	const [form, fields] = useSchemaForm(schema, { id, lastResult })
	return (
		<Form method="POST" {...getFormProps(form)}>
			<input type="hidden" name="intent" value={intent} />
			{passkeyId ? <input type="hidden" name="passkeyId" value={passkeyId} /> : null}
			<Field
				label="Your current password"
				errors={fields.password.errors}
				inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'current-password' }}
			/>
			<ErrorList id={form.errorId} errors={form.errors} />
			<button type="submit" className="button-secondary">
				{label}
			</button>
		</Form>
	)
}

function RenamePasskeyForm({ passkey, lastResult }: { passkey: { id: string; name: string }; lastResult: FormResult }) {
	const [form, fields] = useSchemaForm(RenamePasskeySchema, { id: `rename-${passkey.id}`, lastResult, defaultValue: { name: passkey.name } })
	return (
		<Form method="POST" {...getFormProps(form)} className="inline-form">
			<input type="hidden" name="intent" value="rename" />
			<input type="hidden" name="passkeyId" value={passkey.id} />
			<Field label="New name" errors={fields.name.errors} inputProps={{ ...getInputProps(fields.name, { type: 'text' }), maxLength: 60 }} />
			<button type="submit" className="button-secondary">
				Rename
			</button>
		</Form>
	)
}

const formatDate = (value: string | Date) => new Date(value).toLocaleDateString('en-GB', { timeZone: 'UTC' })

export default function SecuritySettingsPage() {
	const { totp, hasFactor, passkeys, recoveryCodesLeft, events, requiredBy, redirectTo } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const resultOf = (intent: string, passkeyId?: string) => {
		if (!actionData || !('form' in actionData) || !('result' in actionData) || actionData.form !== intent) return undefined
		// Each passkey has its own forms: the reply belongs to the one it echoes the id of.
		return passkeyId === undefined || actionData.result.initialValue?.passkeyId === passkeyId ? actionData.result : undefined
	}
	const rateLimited = actionData && 'result' in actionData && !('form' in actionData) ? actionData.result : undefined
	if (actionData && 'recoveryCodes' in actionData) {
		return (
			<div className="stack">
				<h1>New recovery codes</h1>
				<p role="status">Your earlier recovery codes no longer work.</p>
				<RecoveryCodesNotice codes={actionData.recoveryCodes} continueTo={SECURITY_SETTINGS_PATH} />
			</div>
		)
	}
	return (
		<div className="stack">
			<h1>Security</h1>
			<p className="muted">
				<Link to="/settings">Account settings</Link> · Second factors, recovery codes and the history of changes to how you sign in.
			</p>
			{requiredBy.length > 0 && !hasFactor ? (
				<p role="alert" className="form-error">
					{requiredBy.map((organisation) => MFA_MESSAGES.mfaRequiredBy(organisation)).join(' ')}
				</p>
			) : null}
			{rateLimited?.error?.['']?.length ? (
				<p role="alert" className="form-error">
					{rateLimited.error[''].join(' ')}
				</p>
			) : null}
			{redirectTo && hasFactor ? (
				<p>
					<Link className="button" to={redirectTo}>
						Continue
					</Link>
				</p>
			) : null}
			<section className="card" aria-labelledby="totp-title">
				<h2 id="totp-title" className="flush-top">
					Authenticator app
				</h2>
				{totp ? (
					<>
						<p>
							<strong>On.</strong> Logging in asks for a code from your app after your password.
						</p>
						<details open={Boolean(resultOf('disable-totp'))}>
							<summary>Turn off the authenticator app</summary>
							<PasswordConfirmedForm id="disable-totp" intent="disable-totp" schema={DisableTotpSchema} lastResult={resultOf('disable-totp')} label="Turn off" />
						</details>
					</>
				) : (
					<>
						<p>Off. An app on your phone (such as Google Authenticator, Microsoft Authenticator or Aegis) shows a code you enter after your password.</p>
						<Link className="button" to={`/settings/security/totp?${searchParams}`}>
							Set up an authenticator app
						</Link>
					</>
				)}
			</section>
			<section className="card" aria-labelledby="passkeys-title">
				<h2 id="passkeys-title" className="flush-top">
					Passkeys
				</h2>
				<p>
					A passkey signs you in with your device's screen lock (fingerprint, face or PIN) instead of a password, and serves as your second
					factor after a password.
				</p>
				{passkeys.length > 0 ? (
					<ul className="passkey-list">
						{passkeys.map((passkey) => (
							<li key={passkey.id}>
								<strong>{passkey.name}</strong> · added {formatDate(passkey.createdAt)} · {passkey.lastUsedAt ? `last used ${formatDate(passkey.lastUsedAt)}` : 'not used yet'}
								<details open={Boolean(resultOf('rename', passkey.id))}>
									<summary>Rename {passkey.name}</summary>
									<RenamePasskeyForm passkey={passkey} lastResult={resultOf('rename', passkey.id)} />
								</details>
								<details open={Boolean(resultOf('remove-passkey', passkey.id))}>
									<summary>Remove {passkey.name}</summary>
									<PasswordConfirmedForm
										id={`remove-${passkey.id}`}
										intent="remove-passkey"
										schema={RemovePasskeySchema}
										lastResult={resultOf('remove-passkey', passkey.id)}
										label={`Remove ${passkey.name}`}
										passkeyId={passkey.id}
									/>
								</details>
							</li>
						))}
					</ul>
				) : null}
				<AddPasskeyForm action={`/settings/security/passkeys?${searchParams}`} continueTo={redirectTo ?? SECURITY_SETTINGS_PATH} />
			</section>
			<section className="card" aria-labelledby="recovery-title">
				<h2 id="recovery-title" className="flush-top">
					Recovery codes
				</h2>
				{hasFactor || recoveryCodesLeft > 0 ? (
					<>
						<p>
							{recoveryCodesLeft} of 10 unused. Each logs you in once when your second factor is not at hand. Making new ones voids the old ones.
						</p>
						<details open={Boolean(resultOf('regenerate-codes'))}>
							<summary>Make new recovery codes</summary>
							<PasswordConfirmedForm
								id="regenerate-codes"
								intent="regenerate-codes"
								schema={RegenerateRecoveryCodesSchema}
								lastResult={resultOf('regenerate-codes')}
								label="Make new codes"
							/>
						</details>
					</>
				) : (
					<p>You get ten recovery codes when you set up your first second factor.</p>
				)}
			</section>
			<section className="card" aria-labelledby="history-title">
				<h2 id="history-title" className="flush-top">
					Recent changes
				</h2>
				{events.length === 0 ? (
					<p className="muted">No changes to how you sign in yet.</p>
				) : (
					<ul>
						{events.map((event, index) => (
							<li key={index}>
								{event.what}
								{event.label ? ` · ${event.label}` : ''} · {new Date(event.at).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC
							</li>
						))}
					</ul>
				)}
			</section>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
