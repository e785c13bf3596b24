import { getFormProps, getInputProps, getSelectProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, SelectField, useSchemaForm } from '#app/components/forms.tsx'
import { changePassword, requireSession } from '#app/modules/auth/auth.server.ts'
import { findPasswordProblem } from '#app/modules/auth/password-policy.server.ts'
import { ChangePasswordSchema } from '#app/modules/auth/schemas.ts'
import { invalidateOtherSessions, listUserSessions } from '#app/modules/auth/session.server.ts'
import { LANGUAGE_NAMES, LANGUAGES } from '#app/modules/courses/course-schema.ts'
import { setLanguage } from '#app/modules/courses/language.server.ts'
import { LanguagePreferenceSchema } from '#app/modules/courses/schemas.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { forwardRetryAfter, tooManyAttempts } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Account settings · Bulwark' }]

export const headers = forwardRetryAfter

export async function loader({ request }: LoaderFunctionArgs) {
	const session = await requireSession(request)
	const sessions = await listUserSessions(session.user.id)
	return {
		user: session.user,
		sessions: sessions.map((entry) => ({ ...entry, id: undefined, current: entry.id === session.id })),
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const session = await requireSession(request)
	const formData = await readForm(request)
	const intent = readIntent(formData, ['language', 'logout-others', 'change-password'])
	if (intent === 'language') {
		const submission = parseSubmission(formData, LanguagePreferenceSchema)
		if (submission.status !== 'success') return data({ result: submission.reply(), form: 'language' as const }, { status: 400 })
		await setLanguage(session.user.id, submission.value.language)
		return redirectWithFlash('/settings', { type: 'success', message: `Courses will be shown in ${LANGUAGE_NAMES[submission.value.language]} where available.` })
	}
	if (intent === 'logout-others') {
		const ended = await invalidateOtherSessions(session.user.id, session.id)
		return redirectWithFlash('/settings', {
			type: 'success',
			message: ended === 0 ? 'There were no other sessions.' : `Logged out of ${ended} other session${ended === 1 ? '' : 's'}.`,
		})
	}
	const submission = parseSubmission(
		formData,
		ChangePasswordSchema.superRefine((value, ctx) => {
			const problem = findPasswordProblem(value.newPassword, session.user)
			if (problem) ctx.addIssue({ code: 'custom', path: ['newPassword'], message: problem })
		}),
	)
	const hideFields = ['currentPassword', 'newPassword', 'confirmPassword']
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields }) }, { status: 400 })
	const changed = await changePassword({ userId: session.user.id, sessionId: session.id, ...submission.value })
	if (changed.status === 'rate-limited') {
		return tooManyAttempts(submission, changed, hideFields)
	}
	if (changed.status === 'invalid') {
		return data({ result: submission.reply({ fieldErrors: { currentPassword: ['Your current password is not correct.'] }, hideFields }) }, { status: 400 })
	}
	return redirectWithFlash('/settings', { type: 'success', message: 'Password changed. Every other session has been logged out.' })
}

export default function SettingsPage() {
	const { user, sessions } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const languageResult = actionData && 'form' in actionData ? actionData.result : undefined
	const [form, fields] = useSchemaForm(ChangePasswordSchema, { id: 'change-password', lastResult: languageResult ? undefined : actionData?.result })
	const [languageForm, languageFields] = useSchemaForm(LanguagePreferenceSchema, {
		id: 'language',
		lastResult: languageResult,
		defaultValue: { intent: 'language', language: user.language },
	})
	const otherSessions = sessions.filter((entry) => !entry.current).length
	return (
		<div className="stack">
			<h1>Account settings</h1>
			<p className="muted">
				{user.name} · {user.email}
			</p>
			<section className="card" aria-labelledby="language-title">
				<h2 id="language-title" className="flush-top">
					Course language
				</h2>
				<p className="muted">Courses available in your language are shown in it; the others in English. Completions count whatever the language.</p>
				<Form method="POST" {...getFormProps(languageForm)} className="inline-form">
					<input type="hidden" name="intent" value="language" />
					<SelectField label="Language" errors={languageFields.language.errors} selectProps={getSelectProps(languageFields.language)}>
						{LANGUAGES.map((language) => (
							<option key={language} value={language}>
								{LANGUAGE_NAMES[language]}
							</option>
						))}
					</SelectField>
					<button type="submit" className="button-secondary">
						Save language
					</button>
				</Form>
			</section>
			<section className="card" aria-labelledby="security-title">
				<h2 id="security-title" className="flush-top">
					Security
				</h2>
				<p className="muted">Protect your account with an authenticator app or a passkey, and see every change to how you sign in.</p>
				<Link to="/settings/security">Second factors, passkeys and recovery codes</Link>
			</section>
			<section className="card" aria-labelledby="password-title">
				<h2 id="password-title" className="flush-top">
					Change password
				</h2>
				<p className="muted">Changing your password logs you out everywhere else.</p>
				<Form method="POST" {...getFormProps(form)}>
					<input type="hidden" name="intent" value="change-password" />
					<Field
						label="Current password"
						errors={fields.currentPassword.errors}
						inputProps={{ ...getInputProps(fields.currentPassword, { type: 'password' }), autoComplete: 'current-password' }}
					/>
					<Field
						label="New password"
						hint="At least 12 characters; a passphrase of a few unrelated words works well."
						errors={fields.newPassword.errors}
						inputProps={{ ...getInputProps(fields.newPassword, { type: 'password' }), autoComplete: 'new-password' }}
					/>
					<Field
						label="Repeat the new password"
						errors={fields.confirmPassword.errors}
						inputProps={{ ...getInputProps(fields.confirmPassword, { type: 'password' }), autoComplete: 'new-password' }}
					/>
					<ErrorList id={form.errorId} errors={form.errors} />
					<button type="submit">Change password</button>
				</Form>
			</section>
			<section className="card" aria-labelledby="sessions-title">
				<h2 id="sessions-title" className="flush-top">
					Where you are signed in
				</h2>
				<ul>
					{sessions.map((entry, index) => (
						<li key={index}>
							{entry.userAgent ?? 'Unknown browser'} · since {new Date(entry.createdAt).toLocaleDateString('en-GB')}
							{entry.current ? <strong> (this browser)</strong> : null}
						</li>
					))}
				</ul>
				<Form method="POST">
					<input type="hidden" name="intent" value="logout-others" />
					<button type="submit" className="button-secondary" disabled={otherSessions === 0}>
						Log out of all other sessions
					</button>
				</Form>
			</section>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
