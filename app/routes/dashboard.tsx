import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable } from '#app/components/data-table.tsx'
import { StatusBadge } from '#app/components/compliance/status-badge.tsx'
import { CourseStatus } from '#app/components/courses/course-status.tsx'
import { formatDate } from '#app/utils/format-date.ts'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { requireSession } from '#app/modules/auth/auth.server.ts'
import { summariseCourse } from '#app/modules/courses/catalogue.server.ts'
import { listAssignedTraining } from '#app/modules/compliance/member-requirements.server.ts'
import { meetsRequirement } from '#app/modules/compliance/status.ts'
import { getCourseLibrary, pickVariant } from '#app/modules/courses/course-library.server.ts'
import { loadCourseStandings } from '#app/modules/courses/progress.server.ts'
import { ROLE_LABELS } from '#app/modules/organisations/roles.ts'

export const meta: MetaFunction = () => [{ title: 'Your training · Bulwark' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const session = await requireSession(request)
	const [{ bySlug }, standings, assigned] = await Promise.all([
		getCourseLibrary(),
		loadCourseStandings(session.user.id),
		listAssignedTraining(session.user.id),
	])
	const mine = [...standings.entries()].flatMap(([slug, standing]) => {
		const course = bySlug.get(slug)
		return course ? [summariseCourse(course, session.user.language, standing)] : []
	})
	return {
		name: session.user.name,
		inProgress: mine.filter((course) => course.standing.run && !course.standing.run.completed),
		completed: mine
			.filter((course) => course.standing.latest)
			.sort((a, b) => new Date(a.standing.latest?.expiresAt ?? 0).getTime() - new Date(b.standing.latest?.expiresAt ?? 0).getTime()),
		assigned: assigned.map((row) => {
			const course = bySlug.get(row.courseSlug)
			return {
				key: `${row.organisationId}:${row.requirementId}`,
				organisation: row.distinguishedBy ? `${row.organisationName} · ${row.distinguishedBy}` : row.organisationName,
				courseSlug: row.courseSlug,
				courseTitle: course ? pickVariant(course, session.user.language).title : row.courseSlug,
				status: row.status,
				dueOn: row.dueOn,
			}
		}),
		organisations: session.organisations,
	}
}

export default function Dashboard() {
	const { name, assigned, inProgress, completed, organisations } = useLoaderData<typeof loader>()
	return (
		<div className="stack">
			<h1>Welcome, {name}</h1>
			{assigned.length > 0 ? (
				<section aria-labelledby="assigned-title">
					<h2 id="assigned-title">Assigned to you</h2>
					<DataTable columns={['Course', 'Required by', 'Status', 'Due']}>
						{assigned.map((row) => (
							<tr key={row.key}>
								<td>
									<Link to={`/courses/${row.courseSlug}`}>{row.courseTitle}</Link>
								</td>
								<td>{row.organisation}</td>
								<td>
									<StatusBadge status={row.status} />
								</td>
								<td>{meetsRequirement(row.status) ? `Renew by ${formatDate(row.dueOn)}` : formatDate(row.dueOn)}</td>
							</tr>
						))}
					</DataTable>
				</section>
			) : null}
			<section aria-labelledby="in-progress-title">
				<h2 id="in-progress-title">In progress</h2>
				{inProgress.length === 0 ? (
					<p>
						Nothing in progress. <Link to="/courses">Browse the courses</Link> to start one.
					</p>
				) : (
					<ul className="grid plain-list">
						{inProgress.map((course) => (
							<li key={course.slug} className="card">
								<h3 className="flush-top">
									<Link to={`/courses/${course.slug}`}>{course.title}</Link>
								</h3>
								<CourseStatus course={course} />
								<p>
									<Link to={`/courses/${course.slug}/${course.resumeLesson?.slug ?? ''}`} className="button button-small">
										{course.resumeLesson ? `Resume: ${course.resumeLesson.title}` : 'Continue'}
									</Link>
								</p>
							</li>
						))}
					</ul>
				)}
			</section>
			<section aria-labelledby="completed-title">
				<h2 id="completed-title">Completed</h2>
				{completed.length === 0 ? (
					<p>No completed courses yet. Each one you finish gives you a certificate anyone can verify.</p>
				) : (
					<DataTable columns={['Course', 'Completed', 'Status', 'Certificate']}>
						{completed.map((course) => (
							<tr key={course.slug}>
								<td>
									<Link to={`/courses/${course.slug}`}>{course.title}</Link>
								</td>
								<td>{course.standing.latest ? formatDate(course.standing.latest.completedAt) : null}</td>
								<td>
									<CourseStatus course={{ ...course, standing: { run: null, latest: course.standing.latest } }} />
								</td>
								<td>{course.standing.latest ? <Link to={`/certificates/${course.standing.latest.certificateCode}`}>View</Link> : null}</td>
							</tr>
						))}
					</DataTable>
				)}
			</section>
			<section aria-labelledby="organisations-title">
				<h2 id="organisations-title">Your organisations</h2>
				{organisations.length === 0 ? (
					<p>
						You are not in an organisation yet. Create one for your company, or accept an invitation from a colleague. Members of an
						organisation can take every course, not only the free ones.
					</p>
				) : (
					<ul className="grid plain-list" aria-label="Your organisations">
						{organisations.map(({ organisation, role }) => (
							<li key={organisation.id} className="card">
								<h3 className="flush">
									<Link to={`/org/${organisation.slug}`}>{organisation.name}</Link>
								</h3>
								<p className="muted">Your role: {ROLE_LABELS[role]}</p>
							</li>
						))}
					</ul>
				)}
				<p>
					<Link to="/orgs/new" className="button button-secondary">
						Create an organisation
					</Link>
				</p>
			</section>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
