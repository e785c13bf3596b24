import type { CompiledCourse } from './compile-course.server.tsx'
import { pickVariant } from './course-library.server.ts'
import { type Language, TOPICS } from './course-schema.ts'
import type { CourseStanding } from './progress.server.ts'

/** A course as listed in the catalogue and on the dashboard, in the learner's language. */
export function summariseCourse(course: CompiledCourse, language: Language, standing: CourseStanding | undefined) {
	const variant = pickVariant(course, language)
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
		resumeLesson: standing?.run?.resumeLessonSlug ? variant.lessons.find((lesson) => lesson.slug === standing.run?.resumeLessonSlug) ?? null : null,
		standing: standing ?? { run: null, latest: null },
	}
}
export type CourseSummary = ReturnType<typeof summariseCourse>
