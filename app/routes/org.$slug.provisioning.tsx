import { getFormProps, getInputProps, getSelectProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DataTable } from '#app/components/data-table.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, SelectField, useSchemaForm } from '#app/components/forms.tsx'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { canAdminister } from '#app/modules/organisations/roles.ts'
import { CreateScimTokenSchema, RevokeScimTokenSchema, SCIM_TOKEN_LIFETIMES } from '#app/modules/scim/schemas.ts'
import { createScimToken, listScimTokens, revokeScimToken, ScimTokenError } from '#app/modules/scim/tokens.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'

const adminOnly = { allow: canAdminister, forbiddenMessage: 'Only admins can manage provisioning.' }

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireMembership(request, params.slug, adminOnly)
	const tokens = await listScimTokens(organisation.id)
	const now = new Date()
	return {
		baseUrl: `${getAppOrigin(request, getEnv().APP_URL)}/scim/v2/${organisation.slug}`,
		tokens: tokens.map((token) => ({
			id: token.id,
			name: token.name,
			createdAt: token.createdAt,
			createdBy: token.createdBy?.name ?? null,
			expiresAt: token.expiresAt,
			lastUsedAt: token.lastUsedAt,
			state: token.revokedAt ? ('revoked' as const) : token.expiresAt <= now ? ('expired' as const) : ('active' as const),
		})),
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { organisation, user } = await requireMembership(request, params.slug, adminOnly)
	const formData = await readForm(request)
	if (readIntent(formData, ['create', 'revoke']) === 'revoke') {
		const submission = parseSubmission(formData, RevokeScimTokenSchema)
		if (submission.status !== 'success') return data({ result: submission.reply(), created: null }, { status: 400 })
		try {
			await revokeScimToken({ organisationId: organisation.id, actorId: user.id, tokenId: submission.value.tokenId })
		} catch (error) {
			if (!(error instanceof ScimTokenError)) throw error
			return data({ result: submission.reply({ formErrors: [error.message] }), created: null }, { status: 400 })
		}
		return redirectWithFlash(`/org/${organisation.slug}/provisioning`, { type: 'success', message: 'Token revoked: requests with it are refused from now on.' })
	}

	const submission = parseSubmission(formData, CreateScimTokenSchema)
	if (submission.status !== 'success') return data({ result: submission.reply(), created: null }, { status: 400 })
	const { token } = await createScimToken({ organisationId: organisation.id, actorId: user.id, ...submission.value })
	// Shown once, in this answer only: just its hash is stored.
	return { result: submission.reply({ resetForm: true }), created: { name: submission.value.name, token } }
}

const STATE_LABELS = { active: 'Active', expired: 'Expired', revoked: 'Revoked' } as const

const formatDate = (value: string | Date | null) => (value ? new Date(value).toISOString().slice(0, 16).replace('T', ' ') : 'Never')

function CopyableValue({ id, label, value }: { id: string; label: string; value: string }) {
	return (
		<div className="copy-box">
			<label htmlFor={id} className="visually-hidden">
				{label}
			</label>
			<input id={id} readOnly value={value} onFocus={(event) => event.currentTarget.select()} />
			<button type="button" className="button-secondary" onClick={() => void navigator.clipboard?.writeText(value)}>
				Copy
			</button>
		</div>
	)
}

export default function ProvisioningPage() {
	const { baseUrl, tokens } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useSchemaForm(CreateScimTokenSchema, { id: 'create-token', lastResult: actionData?.result, defaultValue: { lifetimeDays: '365' } })
	const created = actionData?.created
	return (
		<section className="stack">
			<h2>Provisioning (SCIM)</h2>
			<p>
				Your identity provider (Microsoft Entra ID, Okta) can keep this organisation’s members and departments in step with its own
				users and groups over SCIM 2.0. Enter this tenant URL and a token below in its provisioning settings.
			</p>
			<CopyableValue id="scim-base-url" label="SCIM tenant URL" value={baseUrl} />

			{created ? (
				<div role="status" className="card">
					<p>
						Token <strong>{created.name}</strong> created. Copy it into your identity provider now: it is shown only once.
					</p>
					<CopyableValue id="scim-token" label="SCIM token" value={created.token} />
				</div>
			) : null}

			<Form method="POST" {...getFormProps(form)} className="card">
				<input type="hidden" name="intent" value="create" />
				<Field label="Token name" errors={fields.name.errors} inputProps={{ ...getInputProps(fields.name, { type: 'text' }), autoComplete: 'off' }} />
				<SelectField label="Valid for" errors={fields.lifetimeDays.errors} selectProps={getSelectProps(fields.lifetimeDays)}>
					{Object.entries(SCIM_TOKEN_LIFETIMES).map(([days, label]) => (
						<option key={days} value={days}>
							{label}
						</option>
					))}
				</SelectField>
				<ErrorList id={form.errorId} errors={form.errors} />
				<button type="submit" disabled={navigation.state === 'submitting'}>
					Create token
				</button>
			</Form>

			<h2>Tokens</h2>
			{tokens.length === 0 ? (
				<p>No tokens yet.</p>
			) : (
				<DataTable columns={['Name', 'State', 'Created (UTC)', 'Created by', 'Expires (UTC)', 'Last used (UTC)', <span key="actions" className="visually-hidden">Actions</span>]}>
					{tokens.map((token) => (
						<tr key={token.id}>
							<td>{token.name}</td>
							<td>{STATE_LABELS[token.state]}</td>
							<td>{formatDate(token.createdAt)}</td>
							<td>{token.createdBy ?? 'A deleted account'}</td>
							<td>{formatDate(token.expiresAt)}</td>
							<td>{formatDate(token.lastUsedAt)}</td>
							<td>
								{token.state === 'revoked' ? null : (
									<Form method="POST">
										<input type="hidden" name="intent" value="revoke" />
										<input type="hidden" name="tokenId" value={token.id} />
										<button type="submit" className="button-small button-danger">
											Revoke<span className="visually-hidden"> the token {token.name}</span>
										</button>
									</Form>
								)}
							</td>
						</tr>
					))}
				</DataTable>
			)}
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
