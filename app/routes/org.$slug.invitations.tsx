import { getFormProps, getInputProps, getSelectProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DataTable } from '#app/components/data-table.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, SelectField, useSchemaForm } from '#app/components/forms.tsx'
import { createInvitation, listOpenInvitations, revokeInvitation } from '#app/modules/organisations/invitations.server.ts'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { listDepartments, MemberChangeError } from '#app/modules/organisations/members.server.ts'
import { canAdminister, ROLE_LABELS, ROLES } from '#app/modules/organisations/roles.ts'
import { InviteSchema, RevokeInvitationSchema } from '#app/modules/organisations/schemas.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { isEmailConfigured } from '#app/utils/email.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'

const adminOnly = { allow: canAdminister, forbiddenMessage: 'Only admins can invite people.' }

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireMembership(request, params.slug, adminOnly)
	const [invitations, departments] = await Promise.all([listOpenInvitations(organisation.id), listDepartments(organisation.id)])
	return { invitations, departments, emailConfigured: isEmailConfigured() }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { organisation, user } = await requireMembership(request, params.slug, adminOnly)
	const formData = await readForm(request)
	if (readIntent(formData, ['invite', 'revoke']) === 'revoke') {
		const submission = parseSubmission(formData, RevokeInvitationSchema)
		if (submission.status !== 'success') return data({ result: submission.reply(), created: null }, { status: 400 })
		try {
			await revokeInvitation({ organisationId: organisation.id, actorId: user.id, invitationId: submission.value.invitationId })
		} catch (error) {
			if (!(error instanceof MemberChangeError)) throw error
			return data({ result: submission.reply({ formErrors: [error.message] }), created: null }, { status: 400 })
		}
		return redirectWithFlash(`/org/${organisation.slug}/invitations`, { type: 'success', message: 'Invitation revoked.' })
	}

	const submission = parseSubmission(formData, InviteSchema)
	if (submission.status !== 'success') return data({ result: submission.reply(), created: null }, { status: 400 })
	try {
		const created = await createInvitation({
			organisationId: organisation.id,
			actorId: user.id,
			origin: getAppOrigin(request, getEnv().APP_URL),
			...submission.value,
		})
		// Without mail the link is shown once, right now: only its hash is stored, and the outbox keeps it encrypted.
		return { result: submission.reply({ resetForm: true }), created: { email: submission.value.email, link: isEmailConfigured() ? null : created.link } }
	} catch (error) {
		if (!(error instanceof MemberChangeError)) throw error
		return data({ result: submission.reply({ formErrors: [error.message] }), created: null }, { status: 400 })
	}
}

function CopyableLink({ link }: { link: string }) {
	return (
		<div className="copy-box">
			<label htmlFor="invitation-link" className="visually-hidden">
				Invitation link
			</label>
			<input id="invitation-link" readOnly value={link} onFocus={(event) => event.currentTarget.select()} />
			<button type="button" className="button-secondary" onClick={() => void navigator.clipboard?.writeText(link)}>
				Copy link
			</button>
		</div>
	)
}

export default function InvitationsPage() {
	const { invitations, departments, emailConfigured } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useSchemaForm(InviteSchema, { id: 'invite', lastResult: actionData?.result, defaultValue: { role: 'LEARNER', departmentId: '' } })
	const created = actionData?.created
	return (
		<section className="stack">
			<h2>Invite a colleague</h2>
			{created ? (
				<div role="status" className="card">
					{created.link ? (
						<>
							<p>
								Invitation created for <strong>{created.email}</strong>. Email is not set up on this server, so send them this
								link yourself. It works once, expires in 7 days and is shown only now.
							</p>
							<CopyableLink link={created.link} />
						</>
					) : (
						<p>
							Invitation queued for <strong>{created.email}</strong>: it is being emailed now. The outbox shows when it was delivered.
						</p>
					)}
				</div>
			) : null}
			<Form method="POST" {...getFormProps(form)} className="card">
				<input type="hidden" name="intent" value="invite" />
				<Field label="Email" errors={fields.email.errors} inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'off' }} />
				<SelectField label="Role" errors={fields.role.errors} selectProps={getSelectProps(fields.role)}>
					{ROLES.map((role) => (
						<option key={role} value={role}>
							{ROLE_LABELS[role]}
						</option>
					))}
				</SelectField>
				<SelectField label="Department" errors={fields.departmentId.errors} selectProps={getSelectProps(fields.departmentId)}>
					<option value="">No department</option>
					{departments.map((department) => (
						<option key={department.id} value={department.id}>
							{department.name}
						</option>
					))}
				</SelectField>
				<ErrorList id={form.errorId} errors={form.errors} />
				<button type="submit" disabled={navigation.state === 'submitting'}>
					{emailConfigured ? 'Send invitation' : 'Create invitation link'}
				</button>
			</Form>

			<h2>Open invitations</h2>
			{invitations.length === 0 ? (
				<p>No open invitations.</p>
			) : (
				<DataTable columns={['Email', 'Role', 'Department', 'Expires', <span key="actions" className="visually-hidden">Actions</span>]}>
					{invitations.map((invitation) => (
						<tr key={invitation.id}>
							<td>{invitation.email}</td>
							<td>{ROLE_LABELS[invitation.role]}</td>
							<td>{invitation.department?.name ?? '—'}</td>
							<td>
								<time dateTime={new Date(invitation.expiresAt).toISOString()}>{new Date(invitation.expiresAt).toLocaleDateString('en-GB')}</time>
							</td>
							<td>
								<Form method="POST">
									<input type="hidden" name="intent" value="revoke" />
									<input type="hidden" name="invitationId" value={invitation.id} />
									<button type="submit" className="button-small button-danger">
										Revoke<span className="visually-hidden"> the invitation for {invitation.email}</span>
									</button>
								</Form>
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
