import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, SelectField, useSchemaForm } from '#app/components/forms.tsx'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { canAdminister, ROLE_LABELS, ROLES } from '#app/modules/organisations/roles.ts'
import { getSsoSettings, saveSsoSettings, SsoSettingsError, testSsoConnection } from '#app/modules/sso/connections.server.ts'
import { SSO_MESSAGES } from '#app/modules/sso/messages.ts'
import { SaveSsoSettingsSchema, TestSsoConnectionSchema } from '#app/modules/sso/schemas.ts'
import { redirectUriFor } from '#app/modules/sso/sign-in.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'

const adminOnly = { allow: canAdminister, forbiddenMessage: 'Only admins can set up single sign-on.' }

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireMembership(request, params.slug, adminOnly)
	const settings = await getSsoSettings(organisation.id)
	return {
		settings: settings && {
			issuer: settings.issuer,
			clientId: settings.clientId,
			secretIsSet: settings.secretIsSet,
			domains: settings.domains,
			defaultRole: settings.defaultRole,
			mandatory: settings.mandatory,
			enabled: settings.enabled,
			savedAt: settings.updatedAt.toISOString(),
		},
		redirectUri: redirectUriFor(getAppOrigin(request, getEnv().APP_URL)),
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { organisation, user } = await requireMembership(request, params.slug, adminOnly)
	const formData = await readForm(request)
	if (readIntent(formData, ['save', 'test']) === 'test') {
		const submission = parseSubmission(formData, TestSsoConnectionSchema)
		if (submission.status !== 'success') return data({ result: null, test: null }, { status: 400 })
		const passed = await testSsoConnection(organisation.id)
		return { result: null, test: passed ? SSO_MESSAGES.connectionTestPassed : SSO_MESSAGES.connectionTestFailed }
	}
	const submission = parseSubmission(formData, SaveSsoSettingsSchema)
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['clientSecret'] }), test: null }, { status: 400 })
	try {
		await saveSsoSettings({ organisationId: organisation.id, actorId: user.id, settings: submission.value })
	} catch (error) {
		if (!(error instanceof SsoSettingsError)) throw error
		return data({ result: submission.reply({ fieldErrors: { [error.field]: [error.message] }, hideFields: ['clientSecret'] }), test: null }, { status: 400 })
	}
	return redirectWithFlash(`/org/${organisation.slug}/sso`, { type: 'success', message: 'Single sign-on settings saved.' })
}

type Settings = ReturnType<typeof useLoaderData<typeof loader>>['settings']

export default function SsoSettingsPage() {
	const { settings, redirectUri } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<section className="stack">
			<h2>Single sign-on</h2>
			<p>
				People with addresses at your domains sign in through your identity provider (OpenID Connect). Register this redirect URI with
				the provider, with the scopes <code>openid email profile</code>:
			</p>
			<p>
				<code data-testid="redirect-uri">{redirectUri}</code>
			</p>
			{/* A new form after each save, so the secret typed into it is not kept on the page. */}
			<SettingsForm key={settings?.savedAt ?? 'new'} settings={settings} />
			{settings ? (
				<Form method="POST" className="card">
					<input type="hidden" name="intent" value="test" />
					<button type="submit" className="button-secondary">
						Test connection
					</button>
					{actionData?.test ? <p role="status">{actionData.test}</p> : null}
				</Form>
			) : null}
		</section>
	)
}

function SettingsForm({ settings }: { settings: Settings }) {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useSchemaForm(SaveSsoSettingsSchema, {
		id: 'sso-settings',
		lastResult: actionData?.result,
		defaultValue: {
			issuer: settings?.issuer ?? '',
			clientId: settings?.clientId ?? '',
			domains: settings?.domains.join('\n') ?? '',
			defaultRole: settings?.defaultRole ?? 'LEARNER',
			mandatory: settings?.mandatory ? 'on' : undefined,
			enabled: settings === null || settings.enabled ? 'on' : undefined,
		},
	})
	return (
		<Form method="POST" {...getFormProps(form)} className="card">
			<input type="hidden" name="intent" value="save" />
			<ErrorList id={form.errorId} errors={form.errors} />
			<Field
				label="Issuer URL"
				hint="For example https://login.microsoftonline.com/<tenant id>/v2.0, https://<your org>.okta.com or https://accounts.google.com"
				errors={fields.issuer.errors}
				inputProps={getInputProps(fields.issuer, { type: 'url' })}
			/>
			<Field label="Client id" errors={fields.clientId.errors} inputProps={getInputProps(fields.clientId, { type: 'text' })} />
			<Field
				label="Client secret"
				hint={settings?.secretIsSet ? 'Set — enter a new one to replace it.' : 'The secret your provider shows once when you create the client.'}
				errors={fields.clientSecret.errors}
				inputProps={{ ...getInputProps(fields.clientSecret, { type: 'password' }), autoComplete: 'off' }}
			/>
			<div className="field">
				<label htmlFor={fields.domains.id}>Email domains</label>
				<span id={`${fields.domains.id}-hint`} className="field-hint">
					One per line, like example.com. A domain belongs to one organisation.
				</span>
				<textarea {...getTextareaProps(fields.domains)} rows={3} aria-describedby={`${fields.domains.id}-hint`} />
				<ErrorList id={fields.domains.errorId} errors={fields.domains.errors} />
			</div>
			<SelectField label="Role of people who join by signing in" errors={fields.defaultRole.errors} selectProps={getSelectProps(fields.defaultRole)}>
				{ROLES.map((role) => (
					<option key={role} value={role}>
						{ROLE_LABELS[role]}
					</option>
				))}
			</SelectField>
			<label>
				<input {...getInputProps(fields.enabled, { type: 'checkbox' })} /> Sign people in through this provider
			</label>
			<label>
				<input {...getInputProps(fields.mandatory, { type: 'checkbox' })} /> Make single sign-on mandatory: members with these addresses, admins too,
				cannot log in with a password, and nobody can sign up with one
			</label>
			<button type="submit" disabled={navigation.state === 'submitting'}>
				Save
			</button>
		</Form>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
