import { getFormProps, getSelectProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DataTable } from '#app/components/data-table.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, useSchemaForm } from '#app/components/forms.tsx'
import { requireManagerScope } from '#app/modules/organisations/manager-scope.server.ts'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import {
	limitManagerToDepartments,
	listDepartments,
	listMembers,
	MemberChangeError,
	setMemberActive,
	updateMember,
} from '#app/modules/organisations/members.server.ts'
import { canAdminister, ROLE_LABELS, ROLES } from '#app/modules/organisations/roles.ts'
import { MemberActionSchema, UpdateMemberSchema } from '#app/modules/organisations/schemas.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation, membership, scope } = await requireManagerScope(request, params.slug, 'Only managers and admins can see the member list.')
	const [members, departments] = await Promise.all([listMembers(scope), listDepartments(organisation.id)])
	return { members, departments, isAdmin: canAdminister(membership.role), ownMembershipId: membership.id }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { organisation, user } = await requireMembership(request, params.slug, {
		allow: canAdminister,
		forbiddenMessage: 'Only admins can change members.',
	})
	const submission = await readSubmission(request, MemberActionSchema)
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const change = submission.value
	try {
		if (change.intent === 'update') {
			await updateMember({ organisationId: organisation.id, actorId: user.id, ...change })
		} else if (change.intent === 'limit-departments') {
			await limitManagerToDepartments({ organisationId: organisation.id, actorId: user.id, ...change })
		} else {
			await setMemberActive({ organisationId: organisation.id, actorId: user.id, ...change })
		}
	} catch (error) {
		if (!(error instanceof MemberChangeError)) throw error
		return data({ result: submission.reply({ formErrors: [error.message] }) }, { status: 400 })
	}
	const message =
		change.intent === 'update'
			? 'Member updated.'
			: change.intent === 'limit-departments'
				? 'The manager’s departments are saved.'
				: change.active
					? 'Member reactivated.'
					: 'Member deactivated: they can no longer open this organisation.'
	return redirectWithFlash(`/org/${organisation.slug}/members`, { type: 'success', message })
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>

function MemberEditor({ member, departments }: { member: LoaderData['members'][number]; departments: LoaderData['departments'] }) {
	const [form, fields] = useSchemaForm(UpdateMemberSchema, {
		id: `member-${member.id}`,
		defaultValue: { role: member.role, departmentId: member.department?.id ?? '' },
	})
	return (
		<Form method="POST" {...getFormProps(form)} className="inline-form">
			<input type="hidden" name="intent" value="update" />
			<input type="hidden" name="membershipId" value={member.id} />
			<label className="visually-hidden" htmlFor={fields.role.id}>
				Role of {member.user.name}
			</label>
			<select {...getSelectProps(fields.role)}>
				{ROLES.map((role) => (
					<option key={role} value={role}>
						{ROLE_LABELS[role]}
					</option>
				))}
			</select>
			<label className="visually-hidden" htmlFor={fields.departmentId.id}>
				Department of {member.user.name}
			</label>
			<select {...getSelectProps(fields.departmentId)}>
				<option value="">No department</option>
				{departments.map((department) => (
					<option key={department.id} value={department.id}>
						{department.name}
					</option>
				))}
			</select>
			<button type="submit" className="button-small">
				Save
			</button>
		</Form>
	)
}

/** Which departments a manager sees on the compliance dashboard. */
function ManagerDepartmentsEditor({ member, departments }: { member: LoaderData['members'][number]; departments: LoaderData['departments'] }) {
	const limitedTo = new Set(member.managedDepartments.map(({ departmentId }) => departmentId))
	const names = departments.filter((department) => limitedTo.has(department.id)).map((department) => department.name)
	return (
		<details className="manager-scope">
			<summary>Sees {names.length ? names.join(', ') : 'the whole organisation'}</summary>
			<Form method="POST">
				<input type="hidden" name="intent" value="limit-departments" />
				<input type="hidden" name="membershipId" value={member.id} />
				<fieldset>
					<legend>Departments {member.user.name} manages</legend>
					{departments.map((department) => (
						<label key={department.id} className="choice">
							<input type="checkbox" name="departmentIds" value={department.id} defaultChecked={limitedTo.has(department.id)} /> {department.name}
						</label>
					))}
					<p className="field-hint">Tick none for the whole organisation.</p>
				</fieldset>
				<button type="submit" className="button-small">
					Save departments
				</button>
			</Form>
		</details>
	)
}

export default function MembersPage() {
	const { members, departments, isAdmin, ownMembershipId } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const formErrors = actionData?.result.error?.[''] ?? null
	return (
		<section aria-labelledby="members-title">
			<h2 id="members-title">Members ({members.filter((member) => !member.deactivatedAt).length} active)</h2>
			{isAdmin ? (
				<p>
					<Link to="import">Import members from a CSV file</Link>
				</p>
			) : null}
			{formErrors ? (
				<div role="alert" className="form-error">
					<ErrorList errors={formErrors} />
				</div>
			) : null}
			<DataTable columns={['Name', 'Email', isAdmin ? 'Role and department' : 'Role', ...(isAdmin ? [] : ['Department']), 'Status']}>
				{members.map((member) => (
					<tr key={member.id}>
						<td>{member.user.name}</td>
						<td>{member.user.email}</td>
						{isAdmin ? (
							<td>
								<MemberEditor member={member} departments={departments} />
								{member.role === 'MANAGER' && departments.length > 0 ? <ManagerDepartmentsEditor member={member} departments={departments} /> : null}
							</td>
						) : (
							<>
								<td>{ROLE_LABELS[member.role]}</td>
								<td>{member.department?.name ?? '—'}</td>
							</>
						)}
						<td>
							{member.deactivatedAt ? <span className="badge badge-inactive">Deactivated</span> : <span className="badge">Active</span>}
							{isAdmin && member.id !== ownMembershipId ? (
								<Form method="POST" className="inline-form">
									<input type="hidden" name="intent" value="set-active" />
									<input type="hidden" name="membershipId" value={member.id} />
									<input type="hidden" name="active" value={member.deactivatedAt ? 'true' : 'false'} />
									<button type="submit" className={`button-small ${member.deactivatedAt ? 'button-secondary' : 'button-danger'}`}>
										{member.deactivatedAt ? 'Reactivate' : 'Deactivate'}
										<span className="visually-hidden"> {member.user.name}</span>
									</button>
								</Form>
							) : null}
						</td>
					</tr>
				))}
			</DataTable>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
