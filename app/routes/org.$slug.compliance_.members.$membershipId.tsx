import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable } from '#app/components/data-table.tsx'
import { StatusBadge } from '#app/components/compliance/status-badge.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { IdSchema } from '#app/modules/auth/schemas.ts'
import { listMemberReminders } from '#app/modules/compliance/reminders.server.ts'
import { getMemberCompliance } from '#app/modules/compliance/report.server.ts'
import { DELIVERY_STATE_LABELS } from '#app/modules/mail/delivery-state.ts'
import { requireManagerScope } from '#app/modules/organisations/manager-scope.server.ts'
import { meetsRequirement } from '#app/modules/compliance/status.ts'
import { ROLE_LABELS } from '#app/modules/organisations/roles.ts'
import { formatDate } from '#app/utils/format-date.ts'
import { notFound } from '#app/utils/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.member.membership.user.name ?? 'Member'} · Compliance · Bulwark` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation, scope } = await requireManagerScope(request, params.slug)
	const membershipId = IdSchema.safeParse(params.membershipId)
	if (!membershipId.success) throw notFound('We could not find that member among those you can see.')
	// The compliance lookup refuses a member out of scope (404) before their messages are read.
	const member = await getMemberCompliance(scope, membershipId.data)
	return { organisation, member, reminders: await listMemberReminders(organisation.id, membershipId.data) }
}

export default function MemberCompliancePage() {
	const { organisation, member, reminders } = useLoaderData<typeof loader>()
	const { membership, requirements, completions, attempts } = member
	return (
		<div className="stack">
			<p className="flush">
				<Link to={`/org/${organisation.slug}/compliance`}>← Compliance</Link>
			</p>
			<div>
				<h2 className="flush-top flush">{membership.user.name}</h2>
				<p className="muted flush">
					{membership.user.email} · {ROLE_LABELS[membership.role]} · {membership.department?.name ?? 'No department'} · joined {formatDate(membership.joinedAt)}
				</p>
			</div>

			<section aria-labelledby="requirements-title">
				<h3 id="requirements-title">Requirements</h3>
				{requirements.length === 0 ? (
					<p>No requirement applies to this member.</p>
				) : (
					<DataTable columns={['Course', 'Status', 'Applies since', 'Due', 'Last completed', 'Valid until']}>
						{requirements.map((requirement) => (
							<tr key={requirement.requirementId}>
								<td>{requirement.label}</td>
								<td>
									<StatusBadge status={requirement.status} />
								</td>
								<td>{formatDate(requirement.appliesSince)}</td>
								<td>{meetsRequirement(requirement.status) ? `Renew by ${formatDate(requirement.dueOn)}` : formatDate(requirement.dueOn)}</td>
								<td>{requirement.completedAt ? formatDate(requirement.completedAt) : 'Never'}</td>
								<td>{requirement.validUntil ? formatDate(requirement.validUntil) : '–'}</td>
							</tr>
						))}
					</DataTable>
				)}
			</section>

			<section aria-labelledby="completions-title">
				<h3 id="completions-title">Completions</h3>
				{completions.length === 0 ? (
					<p>No completion of a required course yet.</p>
				) : (
					<DataTable columns={['Course', 'Version', 'Completed', 'Expires', 'Certificate']}>
						{completions.map((completion) => (
							<tr key={completion.id}>
								<td>{completion.courseTitle}</td>
								<td>{completion.courseVersion}</td>
								<td>{formatDate(completion.completedAt)}</td>
								<td>{formatDate(completion.expiresAt)}</td>
								<td>{completion.revokedAt ? <span className="badge badge-inactive">Revoked {formatDate(completion.revokedAt)}</span> : 'Valid record'}</td>
							</tr>
						))}
					</DataTable>
				)}
			</section>

			<section aria-labelledby="reminders-title">
				<h3 id="reminders-title">Reminders and digests</h3>
				{reminders.length === 0 ? (
					<p>No reminder or digest written to this member yet.</p>
				) : (
					<DataTable columns={['Written', 'Kind', 'Delivery']}>
						{reminders.map((reminder) => (
							<tr key={reminder.id}>
								<td>{formatDate(reminder.createdAt)}</td>
								<td>{reminder.kind === 'REMINDER' ? 'Reminder from a manager' : 'Daily digest'}</td>
								<td>
									{reminder.deliveredAt ? `Delivered ${formatDate(reminder.deliveredAt)}` : DELIVERY_STATE_LABELS[reminder.state]}
									{reminder.deliveryError && !reminder.deliveredAt ? <span className="small muted"> ({reminder.deliveryError})</span> : null}
								</td>
							</tr>
						))}
					</DataTable>
				)}
			</section>

			<section aria-labelledby="attempts-title">
				<h3 id="attempts-title">Quiz attempts</h3>
				{attempts.length === 0 ? (
					<p>No quiz submitted in a required course yet.</p>
				) : (
					<DataTable columns={['Course', 'Quiz', 'Submitted', 'Score', 'Result']}>
						{attempts.map((attempt) => (
							<tr key={attempt.id}>
								<td>{attempt.courseTitle}</td>
								<td>{attempt.lessonTitle}</td>
								<td>{attempt.submittedAt ? formatDate(attempt.submittedAt) : '–'}</td>
								<td>{attempt.score === null ? '–' : `${attempt.score} %`}</td>
								<td>{attempt.passed ? 'Passed' : 'Not passed'}</td>
							</tr>
						))}
					</DataTable>
				)}
			</section>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
