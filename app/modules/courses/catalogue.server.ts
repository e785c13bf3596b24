import { type CompiledCourse, type LessonSummary, summariseLesson } from './compile-course.server.tsx'
import { resumeLesson } from './completion.ts'
import { pickVariant } from './course-library.server.ts'
import { type Language, type LEVELS, TOPICS, type Topic } from './course-schema.ts'
import { outlineOf, type CourseStanding } from './progress.server.ts'

/** A course as listed in the catalogue and on the dashboard, in the learner's language: what their loaders send. */
export type CourseSummary = {
	slug: string
	title: string
	summary: string
	language: Language
	free: boolean
	level: (typeof LEVELS)[number]
	estimatedMinutes: number
	topics: { slug: Topic; label: string }[]
	lessonCount: number
	resumeLesson: LessonSummary | null
	doneLessonSlugs: string[]
	standing: {
		run: { doneLessons: number; completed: boolean; started: boolean } | null
		latest: CourseStanding['latest'] | null
	}
}

export function summariseCourse(course: CompiledCourse, language: Language, standing: CourseStanding | undefined): CourseSummary {
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
		resumeLesson: summariseLesson(variant.lessons.find((lesson) => lesson.slug === resumeSlug)),
		doneLessonSlugs: [...done],
		standing: {
			run: run ? { doneLessons: done.size, completed: run.completed, started: done.size > 0 || Boolean(run.resumeLessonSlug) } : null,
			latest: standing?.latest ?? null,
		},
	}
}
