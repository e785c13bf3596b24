import type { CompiledCourse } from './compile-course.server.tsx'
import { resumeLesson } from './completion.ts'
import { pickVariant } from './course-library.server.ts'
import { type Language, TOPICS } from './course-schema.ts'
import { outlineOf, type CourseStanding } from './progress.server.ts'

/** A course as listed in the catalogue and on the dashboard, in the learner's language. */
export function summariseCourse(course: CompiledCourse, language: Language, standing: CourseStanding | undefined) {
	const variant = pickVariant(course, language)
	const run = standing?.run ?? null
	// Only lessons the course still has count: a renamed lesson's old completion does not.
	const done = new Set(run?.doneLessonSlugs.filter((slug) => variant.lessons.some((lesson) => lesson.slug === slug)))
	const resumeSlug = run ? resumeLesson(outlineOf(course), run.resumeLessonSlug, done) : null
	return {
		slug: course.slug,
		title: variant.title,
		summary: variant.summary,
		language: variant.language,
		free: course.facts.free,
		level: course.facts.level,
		estimatedMinutes: course.facts.estimatedMinutes,
		topics: course.facts.topics.map((topic) => ({ slug: topic, label: TOPICS[topic] })),
		lessonCount: variant.lessons.length,
		resumeLesson: variant.lessons.find((lesson) => lesson.slug === resumeSlug) ?? null,
		doneLessonSlugs: [...done],
		standing: {
			run: run ? { doneLessons: done.size, completed: run.completed, started: done.size > 0 || Boolean(run.resumeLessonSlug) } : null,
			latest: standing?.latest ?? null,
		},
	}
}
export type CourseSummary = ReturnType<typeof summariseCourse>
