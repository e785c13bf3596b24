import { getFormProps, getSelectProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { StatusBadge } from '#app/components/compliance/status-badge.tsx'
import { ConfirmStep } from '#app/components/confirm-step.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, useSchemaForm } from '#app/components/forms.tsx'
import { DepartmentFilter, ListFilters, MemberCount, optionsOf, SearchFilter, SelectFilter, useQueryHref } from '#app/components/list-filters.tsx'
import { Pager } from '#app/components/pager.tsx'
import { listDepartmentsInScope } from '#app/modules/compliance/report.server.ts'
import { STATUS_LABELS } from '#app/modules/compliance/status.ts'
import { requireManagerScope } from '#app/modules/organisations/manager-scope.server.ts'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import {
	getMemberSummary,
	limitManagerToDepartments,
	listMembers,
	MemberChangeError,
	setMemberActive,
	updateMember,
} from '#app/modules/organisations/members.server.ts'
import { canAdminister, ROLE_LABELS, ROLES } from '#app/modules/organisations/roles.ts'
import { MEMBER_STATUSES, MemberActionSchema, MemberListQuerySchema, UpdateMemberSchema } from '#app/modules/organisations/schemas.ts'
import { CONFIRM_STEP_ID } from '#app/utils/form-fields.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { listUrlWith, readListQuery } from '#app/utils/list-query.server.ts'

export const meta: MetaFunction = () => [{ title: 'Members · Bulwark' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation, membership, scope } = await requireManagerScope(request, params.slug, 'Only managers and admins can see the member list.')
	const query = readListQuery(request, MemberListQuerySchema)
	const isAdmin = canAdminister(membership.role)
	const [table, departments, confirmDeactivation] = await Promise.all([
		listMembers(scope, query),
		listDepartmentsInScope(scope),
		// Only an admin deactivates; the step names an active member other than themselves.
		isAdmin && query.deactivate && query.deactivate !== membership.id ? getMemberSummary(scope, query.deactivate) : null,
	])
	return {
		organisation: { slug: organisation.slug },
		table,
		departments,
		query,
		isAdmin,
		ownMembershipId: membership.id,
		confirmDeactivation: confirmDeactivation?.active ? confirmDeactivation : null,
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { organisation, user } = await requireMembership(request, params.slug, {
		allow: canAdminister,
		forbiddenMessage: 'Only admins can change members.',
	})
	const submission = await readSubmission(request, MemberActionSchema)
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const change = submission.value
	// A deactivation that did not come through the confirmation step goes to it, unchanged.
	if (change.intent === 'set-active' && !change.active && !change.confirmed) {
		return redirect(`${listUrlWith(request, { deactivate: change.membershipId })}#${CONFIRM_STEP_ID}`)
	}
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
	return redirectWithFlash(listUrlWith(request, { deactivate: null }), { type: 'success', message })
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>
type Member = LoaderData['table']['members'][number]

function MemberEditor({ member, departments }: { member: Member; departments: LoaderData['departments'] }) {
	const [form, fields] = useSchemaForm(UpdateMemberSchema, {
		id: `member-${member.membershipId}`,
		defaultValue: { role: member.role, departmentId: member.departmentId ?? '' },
	})
	return (
		<Form method="POST" {...getFormProps(form)} className="inline-form">
			<input type="hidden" name="intent" value="update" />
			<input type="hidden" name="membershipId" value={member.membershipId} />
			<label className="visually-hidden" htmlFor={fields.role.id}>
				Role of {member.name}
			</label>
			<select {...getSelectProps(fields.role)}>
				{ROLES.map((role) => (
					<option key={role} value={role}>
						{ROLE_LABELS[role]}
					</option>
				))}
			</select>
			<label className="visually-hidden" htmlFor={fields.departmentId.id}>
				Department of {member.name}
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
				Save <span className="visually-hidden">{member.name}</span>
			</button>
		</Form>
	)
}

/** Which departments a manager sees on the compliance dashboard. */
function ManagerDepartmentsEditor({ member, departments }: { member: Member; departments: LoaderData['departments'] }) {
	const limitedTo = new Set(member.managedDepartmentIds)
	const names = departments.filter((department) => limitedTo.has(department.id)).map((department) => department.name)
	return (
		<details className="manager-scope">
			<summary>Sees {names.length ? names.join(', ') : 'the whole organisation'}</summary>
			<Form method="POST">
				<input type="hidden" name="intent" value="limit-departments" />
				<input type="hidden" name="membershipId" value={member.membershipId} />
				<fieldset>
					<legend>Departments {member.name} manages</legend>
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

function ActivationControl({ member, queryHref }: { member: Member; queryHref: ReturnType<typeof useQueryHref> }) {
	if (member.deactivatedAt) {
		return (
			<Form method="POST" className="inline-form">
				<input type="hidden" name="intent" value="set-active" />
				<input type="hidden" name="membershipId" value={member.membershipId} />
				<input type="hidden" name="active" value="true" />
				<button type="submit" className="button-small button-secondary">
					Reactivate<span className="visually-hidden"> {member.name}</span>
				</button>
			</Form>
		)
	}
	return (
		<Link to={`${queryHref({ deactivate: member.membershipId })}#${CONFIRM_STEP_ID}`} className="button button-small button-danger">
			Deactivate<span className="visually-hidden"> {member.name}</span>
		</Link>
	)
}

export default function MembersPage() {
	const { organisation, table, departments, query, isAdmin, ownMembershipId, confirmDeactivation } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const queryHref = useQueryHref()
	const formErrors = actionData?.result.error?.[''] ?? null
	const base = `/org/${organisation.slug}`
	return (
		<section aria-labelledby="members-title" className="stack">
			<div className="actions actions-spread">
				<h2 id="members-title" className="flush">
					Members
				</h2>
				{isAdmin ? (
					<div className="actions">
						<Link to={`${base}/members/import`} className="button button-secondary">
							Import from CSV
						</Link>
					</div>
				) : null}
			</div>
			{formErrors ? (
				<div role="alert" className="form-error">
					<ErrorList errors={formErrors} />
				</div>
			) : null}
			{confirmDeactivation ? (
				<ConfirmStep
					title={`Deactivate ${confirmDeactivation.name}?`}
					fields={{ intent: 'set-active', membershipId: confirmDeactivation.membershipId, active: 'false' }}
					confirmLabel="Deactivate"
					cancelHref={queryHref({ deactivate: null })}
				>
					<p>
						{confirmDeactivation.name} ({confirmDeactivation.email}) can no longer open this organisation and drops out of its compliance figures. Their
						completions and certificates stay; you can reactivate them later.
					</p>
				</ConfirmStep>
			) : null}

			<ListFilters query={query}>
				<SearchFilter id="member-search" label="Name or email" value={query.q} />
				<SelectFilter id="member-role" name="role" label="Role" value={query.role} anyLabel="Any role" options={optionsOf(ROLE_LABELS)} />
				<DepartmentFilter value={query.department} departments={departments} />
				<SelectFilter id="member-status" name="status" label="Status" value={query.status} anyLabel={null} options={optionsOf(MEMBER_STATUSES)} />
				<SelectFilter id="member-compliance" name="compliance" label="Compliance" value={query.compliance} anyLabel="Any compliance" options={optionsOf(STATUS_LABELS)} />
			</ListFilters>
			<MemberCount total={table.total} page={table.page} pageCount={table.pageCount} />
			{table.members.length === 0 ? (
				<p>No member matches. Clear the search or the filters to see more.</p>
			) : (
				<DataTable
					caption="Members"
					className="table-cards"
					columns={['Member', isAdmin ? 'Role and department' : 'Role', ...(isAdmin ? [] : ['Department']), 'Compliance', 'Status']}
				>
					{table.members.map((member) => (
						<tr key={member.membershipId}>
							<td>
								{/* Compliance counts active members only, so a deactivated one has no page there. */}
								{member.deactivatedAt ? member.name : <Link to={`${base}/compliance/members/${member.membershipId}`}>{member.name}</Link>}
								<div className="muted small">{member.email}</div>
							</td>
							{isAdmin ? (
								<td data-label="Role and department">
									<MemberEditor member={member} departments={departments} />
									{member.role === 'MANAGER' && departments.length > 0 ? <ManagerDepartmentsEditor member={member} departments={departments} /> : null}
								</td>
							) : (
								<>
									<td data-label="Role">{ROLE_LABELS[member.role]}</td>
									<td data-label="Department">{member.departmentName ?? '—'}</td>
								</>
							)}
							<td data-label="Compliance">{member.complianceStatus ? <StatusBadge status={member.complianceStatus} /> : '—'}</td>
							<td data-label="Status">
								<div className="actions">
									{member.deactivatedAt ? <span className="badge badge-inactive">Deactivated</span> : <span className="badge">Active</span>}
									{isAdmin && member.membershipId !== ownMembershipId ? <ActivationControl member={member} queryHref={queryHref} /> : null}
								</div>
							</td>
						</tr>
					))}
				</DataTable>
			)}
			<Pager label="Member pages" page={table.page} pageCount={table.pageCount} />
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
