import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { LessonHtml } from '#app/components/courses/lesson-html.tsx'
import { QuizForm } from '#app/components/courses/quiz-form.tsx'
import { QuizResult } from '#app/components/courses/quiz-result.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { requireCourse, requireLearner } from '#app/modules/courses/access.server.ts'
import { pickVariant } from '#app/modules/courses/course-library.server.ts'
import { loadProgress, markLessonDone, rememberLesson } from '#app/modules/courses/progress.server.ts'
import { loadQuizState, submitQuizForm } from '#app/modules/courses/quiz-attempts.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { readForm, readIntent } from '#app/utils/form-submission.server.ts'
import { badRequest, notFound } from '#app/utils/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
	{ title: data ? `${data.lesson.title} · ${data.course.title} · Bulwark` : 'Lesson · Bulwark' },
]

async function requireLesson(request: Request, params: LoaderFunctionArgs['params']) {
	const course = await requireCourse(params.courseSlug)
	const session = await requireLearner(request, course)
	const variant = pickVariant(course, session.user.language)
	const index = variant.lessons.findIndex((lesson) => lesson.slug === params.lessonSlug)
	const lesson = variant.lessons[index]
	if (!lesson) throw notFound('This course has no such lesson. Open the course to see its lessons.')
	return { course, session, variant, lesson, index }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { course, session, variant, lesson, index } = await requireLesson(request, params)
	const userId = session.user.id
	const progress = await loadProgress(userId, course.slug)
	await rememberLesson(userId, course.slug, lesson.slug, progress)
	const done = progress?.doneLessons ?? new Set<string>()
	const { quiz, result } = lesson.hasQuiz
		? await loadQuizState(userId, course, lesson, variant.language, new URL(request.url).searchParams.get('attempt'))
		: { quiz: null, result: null }
	const lessons = variant.lessons.map((item) => ({ slug: item.slug, title: item.title, done: done.has(item.slug) }))
	return {
		course: { slug: course.slug, title: variant.title, language: variant.language },
		lesson: { slug: lesson.slug, title: lesson.title, position: index + 1, html: lesson.html, htmlAfterQuiz: lesson.htmlAfterQuiz ?? null },
		lessons,
		previous: variant.lessons[index - 1]?.slug ?? null,
		next: variant.lessons[index + 1]?.slug ?? null,
		done: done.has(lesson.slug),
		hasQuiz: lesson.hasQuiz,
		quizPassed: progress?.passedQuizzes.has(lesson.slug) ?? false,
		passMark: course.facts.passMark,
		quiz,
		result,
		certificateCode: progress?.completion?.certificateCode ?? null,
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { course, session, variant, lesson, index } = await requireLesson(request, params)
	const formData = await readForm(request)
	const intent = readIntent(formData, ['complete', 'submit-quiz'])
	const learner = { id: session.user.id, name: session.user.name }
	const lessonUrl = `/courses/${course.slug}/${lesson.slug}`

	if (intent === 'complete') {
		if (lesson.hasQuiz) throw badRequest('This lesson is done when you pass its quiz.')
		const { completion, remainingLessons } = await markLessonDone(learner, course, lesson.slug, variant.language)
		if (completion) return redirectToCertificate(completion.certificateCode, variant.title)
		const next = variant.lessons[index + 1]
		if (next) return redirect(`/courses/${course.slug}/${next.slug}`)
		// The last lesson is done but the course is not: send the learner to what is missing.
		const missing = variant.lessons.find((item) => item.slug === remainingLessons[0])
		return redirectWithFlash(`/courses/${course.slug}/${missing?.slug ?? ''}`, {
			type: 'success',
			message: `Almost there: finish “${missing?.title ?? ''}” to complete the course.`,
		})
	}

	if (!lesson.hasQuiz) throw badRequest('This lesson has no quiz.')
	const outcome = await submitQuizForm(learner, course, lesson.slug, formData)
	switch (outcome.status) {
		case 'unknown-attempt':
			throw badRequest('This quiz form is no longer valid. Reload the page to get a fresh one.')
		case 'invalid':
			return data({ result: outcome.reply }, { status: 400 })
		case 'outdated':
			return redirectWithFlash(lessonUrl, { type: 'error', message: 'This quiz was updated since you opened it. Here is the current version.' })
		case 'graded':
			if (outcome.completion) return redirectToCertificate(outcome.completion.certificateCode, variant.title)
	}
	return redirect(`${lessonUrl}?attempt=${outcome.attemptId}#quiz-result`)
}

function redirectToCertificate(code: string, courseTitle: string) {
	return redirectWithFlash(`/certificates/${code}`, { type: 'success', message: `You completed ${courseTitle}. Here is your certificate.` })
}

export default function LessonPage() {
	const page = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { course, lesson, lessons } = page
	const doneCount = lessons.filter((item) => item.done).length
	const percent = Math.round((doneCount / lessons.length) * 100)
	return (
		<div className="lesson-layout" lang={course.language}>
			<nav className="lesson-nav" aria-label="Lessons">
				<p className="flush-top">
					<Link to={`/courses/${course.slug}`}>{course.title}</Link>
				</p>
				<label className="muted small" htmlFor="course-progress">
					{doneCount} of {lessons.length} lessons done
				</label>
				<progress id="course-progress" className="progress" value={doneCount} max={lessons.length}>
					{percent}%
				</progress>
				<ol className="lesson-list">
					{lessons.map((item) => (
						<li key={item.slug} className={item.done ? 'lesson-done' : undefined}>
							<Link to={`/courses/${course.slug}/${item.slug}`} aria-current={item.slug === lesson.slug ? 'page' : undefined}>
								{item.title}
							</Link>
							{item.done ? <span className="visually-hidden"> (done)</span> : null}
						</li>
					))}
				</ol>
			</nav>
			<article className="lesson">
				<p className="eyebrow">
					Lesson {lesson.position} of {lessons.length}
				</p>
				<h1>{lesson.title}</h1>
				{page.certificateCode ? (
					<p className="callout callout-tip">
						You have completed this course. <Link to={`/certificates/${page.certificateCode}`}>View your certificate</Link>
					</p>
				) : null}
				<LessonHtml html={lesson.html} />
				{page.hasQuiz ? (
					<section id="quiz" className="quiz" aria-label="Quiz">
						{page.result ? (
							<QuizResult result={page.result} passMark={page.passMark} lessonUrl={`/courses/${course.slug}/${lesson.slug}`} />
						) : page.quiz ? (
							<>
								{page.quizPassed ? <p className="callout callout-tip">You have passed this quiz. You may take it again for practice.</p> : null}
								<QuizForm quiz={page.quiz} lastResult={actionData?.result} />
							</>
						) : null}
					</section>
				) : null}
				{lesson.htmlAfterQuiz ? <LessonHtml html={lesson.htmlAfterQuiz} /> : null}
				<LessonFooter page={page} />
			</article>
		</div>
	)
}

function LessonFooter({ page }: { page: ReturnType<typeof useLoaderData<typeof loader>> }) {
	const { course, previous, next } = page
	const courseUrl = `/courses/${course.slug}`
	const finished = page.hasQuiz ? page.quizPassed : page.done
	return (
		<footer className="lesson-footer">
			{previous ? (
				<Link to={`${courseUrl}/${previous}`} rel="prev" className="button button-secondary">
					← Previous
				</Link>
			) : (
				<span />
			)}
			{!page.hasQuiz && !page.done ? (
				<Form method="POST">
					<button type="submit" name="intent" value="complete" className="button">
						{next ? 'Complete and continue →' : 'Complete lesson'}
					</button>
				</Form>
			) : next ? (
				<Link to={`${courseUrl}/${next}`} rel="next" className={finished ? 'button' : 'button button-secondary'}>
					Next lesson →
				</Link>
			) : (
				<Link to={courseUrl} className={finished ? 'button' : 'button button-secondary'}>
					Back to the course
				</Link>
			)}
		</footer>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
