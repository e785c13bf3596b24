import { useFetcher } from '@remix-run/react'
import { startAuthentication, startRegistration } from '@simplewebauthn/browser'
import { useEffect, useRef, useState } from 'react'
import { ErrorList } from '#app/components/forms.tsx'
import { RecoveryCodesNotice } from '#app/components/recovery-codes.tsx'
import { useHydrated } from '#app/utils/use-hydrated.ts'

type RequestOptions = Parameters<typeof startAuthentication>[0]['optionsJSON']
type CreationOptions = Parameters<typeof startRegistration>[0]['optionsJSON']

/** What the actions answer: the options for the browser, or a refusal in words. */
type CeremonyReply = {
	options?: RequestOptions | CreationOptions
	message?: string
	fieldErrors?: Record<string, string[]>
	recoveryCodes?: string[]
}

const CANCELLED = 'The passkey was not used. Try again when you are ready.'

/**
 * A WebAuthn ceremony against one action: it asks for the server's options (`intent=options`),
 * lets the browser talk to the authenticator, and posts the answer back as one form field
 * (`intent=<answerIntent>`, `response=<JSON>`); the `fields` given to `begin` go with both. The action
 * answers the last step with a redirect on success, which the fetcher follows.
 */
export function usePasskeyCeremony(action: string, ceremony: 'authenticate' | 'register', answerIntent: string) {
	const options = useFetcher<CeremonyReply>()
	const answer = useFetcher<CeremonyReply>()
	const [running, setRunning] = useState(false)
	const [browserMessage, setBrowserMessage] = useState<string | null>(null)
	const fields = useRef<Record<string, string>>({})

	// Each answer of the options request starts one ceremony, once the fetcher is idle (after the
	// action it revalidates the page's data first).
	const started = useRef<CeremonyReply | null>(null)
	useEffect(() => {
		const reply = options.data
		if (options.state !== 'idle' || !reply?.options || started.current === reply) return
		started.current = reply
		setRunning(true)
		const talkToAuthenticator = ceremony === 'register'
			? startRegistration({ optionsJSON: reply.options as CreationOptions })
			: startAuthentication({ optionsJSON: reply.options as RequestOptions })
		talkToAuthenticator
			.then((response) => answer.submit({ ...fields.current, intent: answerIntent, response: JSON.stringify(response) }, { method: 'POST', action }))
			.catch(() => setBrowserMessage(CANCELLED))
			.finally(() => setRunning(false))
	}, [options.data, options.state, ceremony, answer, answerIntent, action])

	const begin = (extraFields: Record<string, string> = {}) => {
		fields.current = extraFields
		setBrowserMessage(null)
		options.submit({ ...extraFields, intent: 'options' }, { method: 'POST', action })
	}
	const message = browserMessage ?? answer.data?.message ?? options.data?.message ?? null
	const busy = running || options.state !== 'idle' || answer.state !== 'idle'
	return { begin, busy, message, fieldErrors: answer.data?.fieldErrors ?? {}, recoveryCodes: answer.data?.recoveryCodes ?? null }
}

/** A button that signs in with a passkey; disabled until the page's JavaScript runs, which WebAuthn needs. */
export function PasskeySignInButton({
	action,
	fields,
	children,
	className,
}: {
	action: string
	fields?: Record<string, string>
	children: string
	className?: string
}) {
	const hydrated = useHydrated()
	const { begin, busy, message } = usePasskeyCeremony(action, 'authenticate', 'passkey')
	return (
		<div>
			<button type="button" className={className} disabled={!hydrated || busy} onClick={() => begin(fields)}>
				{children}
			</button>
			{message ? (
				<p role="alert" className="form-error">
					{message}
				</p>
			) : null}
		</div>
	)
}

/**
 * Names and adds a passkey (Account settings → Security). Without JavaScript the button stays
 * disabled: WebAuthn is a browser API. The first factor of an account brings recovery codes, shown here once.
 */
export function AddPasskeyForm({ action, continueTo }: { action: string; continueTo: string }) {
	const hydrated = useHydrated()
	const [name, setName] = useState('')
	const [savedCodes, setSavedCodes] = useState<string[] | null>(null)
	const { begin, busy, message, fieldErrors, recoveryCodes } = usePasskeyCeremony(action, 'register', 'register')
	// The fetcher keeps its answer after the page moves on: once saved, the codes are not shown again.
	if (recoveryCodes && recoveryCodes !== savedCodes) return <RecoveryCodesNotice codes={recoveryCodes} continueTo={continueTo} onContinue={() => setSavedCodes(recoveryCodes)} />
	const nameErrors = fieldErrors.name
	return (
		<form
			onSubmit={(event) => {
				event.preventDefault()
				begin({ name })
			}}
		>
			<div className="field">
				<label htmlFor="passkey-name">Name of the new passkey</label>
				<span id="passkey-name-hint" className="field-hint">
					So you can tell your passkeys apart, for example "Work laptop" or "Phone".
				</span>
				<input
					id="passkey-name"
					name="name"
					value={name}
					onChange={(event) => setName(event.target.value)}
					required
					maxLength={60}
					aria-describedby={nameErrors?.length ? 'passkey-name-hint passkey-name-error' : 'passkey-name-hint'}
					aria-invalid={nameErrors?.length ? true : undefined}
				/>
				<ErrorList id="passkey-name-error" errors={nameErrors} />
			</div>
			<button type="submit" disabled={!hydrated || busy}>
				Add a passkey
			</button>
			{hydrated ? null : <p className="muted">Adding a passkey needs JavaScript in this browser.</p>}
			{message ? (
				<p role="alert" className="form-error">
					{message}
				</p>
			) : null}
		</form>
	)
}
