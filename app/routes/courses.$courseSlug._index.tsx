import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { formatDate } from '#app/utils/format-date.ts'
import { LessonHtml } from '#app/components/courses/lesson-html.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { readOverviewAccess, requireCourse, requireLearner } from '#app/modules/courses/access.server.ts'
import { summariseCourse } from '#app/modules/courses/catalogue.server.ts'
import { summariseLesson } from '#app/modules/courses/compile-course.server.tsx'
import { pickVariant } from '#app/modules/courses/course-library.server.ts'
import { CHARTER_PRINCIPLES, LANGUAGE_NAMES } from '#app/modules/courses/course-schema.ts'
import { preferredLanguage } from '#app/modules/courses/language.server.ts'
import { loadCourseStandings, restartCourse } from '#app/modules/courses/progress.server.ts'
import { CourseIntentSchema } from '#app/modules/courses/schemas.ts'
import { badRequest } from '#app/utils/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) =>
	data ? [{ title: `${data.course.title} · Bulwark` }, { name: 'description', content: data.course.summary }] : [{ title: 'Course · Bulwark' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const course = await requireCourse(params.courseSlug)
	const session = await readOverviewAccess(request, course)
	const language = preferredLanguage(request, session?.user)
	const variant = pickVariant(course, language)
	const standing = session ? (await loadCourseStandings(session.user.id, { courseSlug: course.slug })).get(course.slug) : undefined
	const summary = summariseCourse(course, language, standing)
	const done = new Set(summary.doneLessonSlugs)
	return {
		course: summary,
		overviewHtml: variant.overviewHtml,
		facts: {
			validityMonths: course.facts.validityMonths,
			passMark: course.facts.passMark,
			principles: course.facts.principles.map((number) => ({ number, name: CHARTER_PRINCIPLES[number] ?? '' })),
			languages: course.facts.languages.map((code) => LANGUAGE_NAMES[code]),
			version: course.facts.version,
		},
		lessons: variant.lessons.map((lesson) => ({ slug: lesson.slug, title: lesson.title, hasQuiz: lesson.hasQuiz, done: done.has(lesson.slug) })),
		signedIn: Boolean(session),
		started: summary.standing.run?.started ?? false,
		completedRun: summary.standing.run?.completed ?? false,
		resume: summary.resumeLesson ?? summariseLesson(variant.lessons[0]),
	}
}

/** Starting again after a completion opens a new run, to renew before (or after) it expires. */
export async function action({ request, params }: ActionFunctionArgs) {
	const course = await requireCourse(params.courseSlug)
	const session = await requireLearner(request, course)
	const submission = await readSubmission(request, CourseIntentSchema)
	if (submission.status !== 'success') throw badRequest('This form is not one the course page knows; reload the page.')
	await restartCourse(session.user.id, course.slug)
	const first = pickVariant(course, session.user.language).lessons[0]
	return redirect(`/courses/${course.slug}/${first?.slug ?? ''}`)
}

export default function CourseOverview() {
	const { course, overviewHtml, facts, lessons, signedIn, started, completedRun, resume } = useLoaderData<typeof loader>()
	const latest = course.standing.latest
	const lessonUrl = (slug: string) => `/courses/${course.slug}/${slug}`
	return (
		<div className="course-overview stack" lang={course.language}>
			<p className="eyebrow">
				<Link to="/courses">Courses</Link>
			</p>
			<h1>{course.title}</h1>
			<p className="lead">{course.summary}</p>
			<p className="course-card-meta">
				{course.free ? <span className="badge badge-free">Free</span> : <span className="badge">Organisations</span>}{' '}
				<span className="muted">
					{course.estimatedMinutes} minutes · {lessons.length} lessons · pass mark {facts.passMark}% · valid for {facts.validityMonths} months ·{' '}
					{facts.languages.join(', ')}
				</span>
			</p>
			<div className="card actions">
				{!signedIn ? (
					<>
						<Link to={`/signup?${new URLSearchParams({ redirectTo: lessonUrl(resume?.slug ?? '') })}`} className="button">
							Sign up free to start
						</Link>
						<Link to={`/login?${new URLSearchParams({ redirectTo: `/courses/${course.slug}` })}`}>I have an account</Link>
					</>
				) : completedRun && latest ? (
					<>
						<p className="flush">
							Completed on {formatDate(latest.completedAt)}; {latest.status === 'valid' ? `valid until ${formatDate(latest.expiresAt)}` : latest.status}.
						</p>
						<Link to={`/certificates/${latest.certificateCode}`} className="button">
							View certificate
						</Link>
						<Form method="POST">
							<button type="submit" name="intent" value="restart" className="button button-secondary">
								Take the course again to renew
							</button>
						</Form>
					</>
				) : resume ? (
					<Link to={lessonUrl(resume.slug)} className="button">
						{started ? `Resume: ${resume.title}` : 'Start the course'}
					</Link>
				) : null}
			</div>
			<LessonHtml html={overviewHtml} />
			<section aria-labelledby="syllabus-title">
				<h2 id="syllabus-title">Syllabus</h2>
				<ol className="syllabus">
					{lessons.map((lesson) => (
						<li key={lesson.slug}>
							{signedIn ? <Link to={lessonUrl(lesson.slug)}>{lesson.title}</Link> : lesson.title}
							{lesson.hasQuiz ? <span className="muted small"> · quiz</span> : null}
							{lesson.done ? <span className="badge badge-valid">Done</span> : null}
						</li>
					))}
				</ol>
			</section>
			<section aria-labelledby="principles-title">
				<h2 id="principles-title">Charter of Trust principles</h2>
				<ul>
					{facts.principles.map((principle) => (
						<li key={principle.number}>
							Principle {principle.number}: {principle.name}
						</li>
					))}
				</ul>
				<p className="muted small">Course version {facts.version}</p>
			</section>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
