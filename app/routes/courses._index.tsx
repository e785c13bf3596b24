import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { CourseStatus } from '#app/components/courses/course-status.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { getAuthSession } from '#app/modules/auth/auth.server.ts'
import { isOrganisationMember } from '#app/modules/courses/access.server.ts'
import { summariseCourse } from '#app/modules/courses/catalogue.server.ts'
import { getCourseLibrary } from '#app/modules/courses/course-library.server.ts'
import { LEVELS, type Topic, TOPICS } from '#app/modules/courses/course-schema.ts'
import { preferredLanguage } from '#app/modules/courses/language.server.ts'
import { loadCourseStandings } from '#app/modules/courses/progress.server.ts'

export const meta: MetaFunction = () => [
	{ title: 'Courses · Bulwark' },
	{ name: 'description', content: 'Short, practical security-awareness courses. The free ones are open to anyone who signs up.' },
]

const LEVEL_LABELS: Record<(typeof LEVELS)[number], string> = { beginner: 'Beginner', intermediate: 'Intermediate', advanced: 'Advanced' }

export async function loader({ request }: LoaderFunctionArgs) {
	const [{ courses }, { session }] = await Promise.all([getCourseLibrary(), getAuthSession(request)])
	const language = preferredLanguage(request, session?.user)
	const [standings, member] = session
		? await Promise.all([loadCourseStandings(session.user.id), isOrganisationMember(session.user.id)])
		: [new Map(), false]
	const requested = new URL(request.url).searchParams.get('topic')
	const topic = requested && Object.hasOwn(TOPICS, requested) ? (requested as Topic) : null
	const topics = Object.entries(TOPICS)
		.map(([slug, label]) => ({ slug, label, count: courses.filter((course) => course.facts.topics.includes(slug as Topic)).length }))
		.filter((entry) => entry.count > 0)
	const listed = courses
		.filter((course) => !topic || course.facts.topics.includes(topic))
		.map((course) => summariseCourse(course, language, standings.get(course.slug)))
		// Free courses first: they are what a newcomer can take straight away.
		.sort((a, b) => Number(b.free) - Number(a.free) || a.title.localeCompare(b.title))
	return data(
		{ courses: listed, topics, topic, signedIn: Boolean(session), member, unknownTopic: Boolean(requested && !topic) },
		{ status: requested && !topic ? 400 : 200 },
	)
}

export default function Catalogue() {
	const { courses, topics, topic, signedIn, member, unknownTopic } = useLoaderData<typeof loader>()
	return (
		<div className="stack">
			<h1>Courses</h1>
			<p className="lead">
				Short, practical courses on staying safe at work. Courses marked <span className="badge badge-free">Free</span> are open to
				anyone with an account; the others come with an organisation.
			</p>
			<Form method="GET" className="inline-form" aria-label="Filter courses">
				<label htmlFor="topic">Topic</label>
				<select id="topic" name="topic" defaultValue={topic ?? ''}>
					<option value="">All topics</option>
					{topics.map((entry) => (
						<option key={entry.slug} value={entry.slug}>
							{entry.label} ({entry.count})
						</option>
					))}
				</select>
				<button type="submit" className="button button-small">
					Filter
				</button>
				{topic ? <Link to="/courses">Show all</Link> : null}
			</Form>
			{unknownTopic ? <p className="form-error">There is no such topic; here are all courses.</p> : null}
			<ul className="grid plain-list" aria-label="Courses">
				{courses.map((course) => (
					<li key={course.slug} className="card course-card">
						<p className="course-card-meta">
							{course.free ? <span className="badge badge-free">Free</span> : <span className="badge">Organisations</span>}{' '}
							<span className="muted small">
								{course.estimatedMinutes} min · {course.lessonCount} lessons · {LEVEL_LABELS[course.level]}
							</span>
						</p>
						<h2 className="course-card-title">
							<Link to={`/courses/${course.slug}`}>{course.title}</Link>
						</h2>
						<p>{course.summary}</p>
						<p className="topic-list">
							{course.topics.map((entry) => (
								<Link key={entry.slug} to={`/courses?topic=${entry.slug}`} className="topic">
									{entry.label}
								</Link>
							))}
						</p>
						{signedIn ? <CourseStatus course={course} /> : null}
						{signedIn && !course.free && !member ? <p className="muted small">Open to members of an organisation.</p> : null}
					</li>
				))}
			</ul>
			{courses.length === 0 ? <p>No courses match this filter.</p> : null}
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
