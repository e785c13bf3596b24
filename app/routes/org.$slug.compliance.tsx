import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DataTable } from '#app/components/data-table.tsx'
import { StatusBarChart, TrendChart } from '#app/components/compliance/charts.tsx'
import { StatusBadge } from '#app/components/compliance/status-badge.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { DepartmentFilter, ListFilters, MemberCount, optionsOf, SearchFilter, SelectFilter } from '#app/components/list-filters.tsx'
import { Pager } from '#app/components/pager.tsx'
import { getComplianceOverview } from '#app/modules/compliance/overview.server.ts'
import { describeQueuedReminders, describeReminderDelivery } from '#app/modules/compliance/reminder-messages.ts'
import { NothingToRemind, queueReminders, reportReminderDelivery } from '#app/modules/compliance/reminders.server.ts'
import { listComplianceMembers } from '#app/modules/compliance/report.server.ts'
import { MEMBER_SORTS, MemberTableQuerySchema, ReminderActionSchema } from '#app/modules/compliance/schemas.ts'
import { requireManagerScope } from '#app/modules/organisations/manager-scope.server.ts'
import { formatPercent } from '#app/modules/compliance/statement.ts'
import { meetsRequirement, REQUIREMENT_STATUSES, STATUS_LABELS } from '#app/modules/compliance/status.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { isEmailConfigured } from '#app/utils/email.server.ts'
import { formatDate } from '#app/utils/format-date.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'
import { readListQuery } from '#app/utils/list-query.server.ts'

export const meta: MetaFunction = () => [{ title: 'Compliance · Bulwark' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation, scope, user } = await requireManagerScope(request, params.slug)
	const query = readListQuery(request, MemberTableQuerySchema)
	const at = new Date()
	const [overview, table, reminders] = await Promise.all([
		getComplianceOverview(scope, at),
		listComplianceMembers(scope, query, at),
		reportReminderDelivery({ organisationId: organisation.id, actorId: user.id, at }),
	])
	return { organisation, limited: scope.departmentIds !== null, overview, table, query, reminders }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, scope } = await requireManagerScope(request, params.slug)
	const submission = await readSubmission(request, ReminderActionSchema)
	if (submission.status !== 'success') return data({ message: 'Choose whom to remind from the dashboard.', sent: null }, { status: 400 })
	let result
	try {
		result = await queueReminders({
			scope,
			actorId: user.id,
			membershipId: submission.value.intent === 'remind' ? submission.value.membershipId : undefined,
			origin: getAppOrigin(request, getEnv().APP_URL),
			at: new Date(),
		})
	} catch (error) {
		if (!(error instanceof NothingToRemind)) throw error
		return data({ message: error.message, sent: null }, { status: 400 })
	}
	return { message: describeQueuedReminders(result, isEmailConfigured()), sent: result.queued }
}

export default function ComplianceDashboard() {
	const { organisation, limited, overview, table, query, reminders } = useLoaderData<typeof loader>()
	const reminderDelivery = describeReminderDelivery(reminders)
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const base = `/org/${organisation.slug}/compliance`
	const { tiles } = overview
	const remindable = tiles.overdue + tiles.due
	return (
		<div className="stack">
			<div className="actions actions-spread">
				<h2 className="flush-top flush">Compliance</h2>
				<div className="actions">
					<a href={`${base}.csv`} className="button button-secondary" download>
						Download CSV
					</a>
					{limited ? null : (
						<Link to={`${base}/statements`} className="button button-secondary">
							Compliance statements
						</Link>
					)}
				</div>
			</div>
			{limited ? (
				<p className="muted">You see the members of your departments: {overview.departments.map((department) => department.name).join(', ')}.</p>
			) : null}
			{actionData?.message ? (
				<p role="status" className={actionData.sent === null ? 'form-error' : 'flash flash-success'}>
					{actionData.message}
				</p>
			) : null}

			<ul className="tiles plain-list" aria-label="Summary">
				<li className="card tile">
					<span className="tile-label">Members</span>
					<span className="stat-value">{tiles.members}</span>
				</li>
				<li className="card tile">
					<span className="tile-label">Compliant</span>
					<span className="stat-value">{formatPercent(tiles.percentCompliant)}</span>
				</li>
				<li className="card tile tile-overdue">
					<span className="tile-label">Overdue</span>
					<Link to="?status=OVERDUE" className="stat-value">
						{tiles.overdue}
						<span className="visually-hidden"> overdue: list them</span>
					</Link>
				</li>
				<li className="card tile tile-expiring">
					<span className="tile-label">Expiring in the next 30 days</span>
					<Link to="?status=EXPIRING" className="stat-value">
						{tiles.expiring}
						<span className="visually-hidden"> expiring: list them</span>
					</Link>
				</li>
			</ul>

			<Form method="POST" className="actions">
				<input type="hidden" name="intent" value="remind-all" />
				<button type="submit" disabled={remindable === 0 || navigation.state === 'submitting'}>
					Remind everyone due or overdue ({remindable})
				</button>
				<span className="muted small">A member gets at most one reminder a day.</span>
			</Form>
			{reminderDelivery ? <p className="muted small">{reminderDelivery}</p> : null}

			<div className="chart-grid">
				<section aria-labelledby="by-department-title" className="card">
					<h3 id="by-department-title" className="flush-top">
						Members by department
					</h3>
					<StatusBarChart rows={overview.byDepartment.map((row) => ({ label: row.name, counts: row.counts }))} />
					<StatusTable caption="Members by department" firstColumn="Department" rows={overview.byDepartment.map((row) => ({ key: row.id, label: row.name, counts: row.counts }))} />
				</section>
				<section aria-labelledby="by-requirement-title" className="card">
					<h3 id="by-requirement-title" className="flush-top">
						Members by requirement
					</h3>
					{overview.byRequirement.length === 0 ? (
						<p>
							No active requirements. <Link to={`/org/${organisation.slug}/requirements`}>Add one or apply the baseline.</Link>
						</p>
					) : (
						<>
							<StatusBarChart rows={overview.byRequirement.map((row) => ({ label: row.label, counts: row.counts }))} />
							<StatusTable caption="Members by requirement" firstColumn="Requirement" rows={overview.byRequirement.map((row) => ({ key: row.id, label: row.label, counts: row.counts }))} />
						</>
					)}
				</section>
			</div>

			<section aria-labelledby="trend-title" className="card">
				<h3 id="trend-title" className="flush-top">
					Compliant over the last 12 months
				</h3>
				<TrendChart points={overview.trend.map((point) => ({ day: point.day.toISOString().slice(0, 10), percent: point.percent }))} />
				<details>
					<summary>Daily history ({overview.trend.length === 1 ? '1 day' : `${overview.trend.length} days`} recorded)</summary>
					<DataTable caption="Members compliant per day" className="scroll-box" columns={['Day', 'Members', 'Compliant', '%']}>
						{[...overview.trend].reverse().map((point) => (
							<tr key={point.day.toISOString()}>
								<td>{formatDate(point.day)}</td>
								<td>{point.members}</td>
								<td>{point.compliant}</td>
								<td>{formatPercent(point.percent)}</td>
							</tr>
						))}
					</DataTable>
				</details>
			</section>

			<section aria-labelledby="members-title">
				<h3 id="members-title">Members</h3>
				<ListFilters query={query}>
					<SearchFilter id="member-search" label="Name or email" value={query.q} />
					<SelectFilter id="member-status" name="status" label="Status" value={query.status} anyLabel="Any status" options={optionsOf(STATUS_LABELS)} />
					<DepartmentFilter value={query.department} departments={overview.departments} />
					<SelectFilter id="member-sort" name="sort" label="Sort by" value={query.sort} anyLabel={null} options={optionsOf(MEMBER_SORTS)} />
				</ListFilters>
				<MemberCount total={table.total} page={table.page} pageCount={table.pageCount} />
				{table.members.length === 0 ? (
					<p>No member matches. Clear the search or the filters to see more.</p>
				) : (
					<DataTable caption="Members and their compliance status" columns={['Member', 'Department', 'Status', 'Next due', <span key="reminder" className="visually-hidden">Reminder</span>]}>
						{table.members.map((member) => (
							<tr key={member.membershipId}>
								<td>
									<Link to={`${base}/members/${member.membershipId}`}>{member.name}</Link>
									<div className="muted small">{member.email}</div>
								</td>
								<td>{member.departmentName ?? '–'}</td>
								<td>
									<StatusBadge status={member.status} />
								</td>
								<td>{!member.firstDueOn ? 'Nothing required' : meetsRequirement(member.status) ? `Renew by ${formatDate(member.firstDueOn)}` : formatDate(member.firstDueOn)}</td>
								<td>
									{member.status === 'DUE' || member.status === 'OVERDUE' ? (
										<Form method="POST">
											<input type="hidden" name="intent" value="remind" />
											<input type="hidden" name="membershipId" value={member.membershipId} />
											<button type="submit" className="button-small button-secondary" disabled={navigation.state === 'submitting'}>
												Remind <span className="visually-hidden">{member.name}</span>
											</button>
										</Form>
									) : null}
								</td>
							</tr>
						))}
					</DataTable>
				)}
				<Pager label="Member pages" page={table.page} pageCount={table.pageCount} />
			</section>
		</div>
	)
}

function StatusTable({
	caption,
	firstColumn,
	rows,
}: {
	caption: string
	firstColumn: string
	rows: { key: string; label: string; counts: Record<(typeof REQUIREMENT_STATUSES)[number], number> }[]
}) {
	return (
		<details>
			<summary>
				Figures<span className="visually-hidden">: {caption}</span>
			</summary>
			<DataTable caption={caption} columns={[firstColumn, ...REQUIREMENT_STATUSES.map((status) => STATUS_LABELS[status])]}>
				{rows.map((row) => (
					<tr key={row.key}>
						<th scope="row">{row.label}</th>
						{REQUIREMENT_STATUSES.map((status) => (
							<td key={status}>{row.counts[status]}</td>
						))}
					</tr>
				))}
			</DataTable>
		</details>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
