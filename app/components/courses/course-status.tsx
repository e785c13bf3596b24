import { formatDate } from '#app/utils/format-date.ts'
import type { CourseSummary } from '#app/modules/courses/catalogue.server.ts'


/** One line on where the learner stands: not started, in progress, completed (valid or expired). */
export function CourseStatus({ course }: { course: Pick<CourseSummary, 'standing' | 'lessonCount'> }) {
	const { run, latest } = course.standing
	if (run && !run.completed && run.doneLessons > 0) {
		return (
			<span className="badge badge-progress">
				{latest ? 'Renewing: ' : 'In progress: '}
				{run.doneLessons} of {course.lessonCount} lessons
			</span>
		)
	}
	if (latest) {
		if (latest.status === 'valid') return <span className="badge badge-valid">Completed · valid until {formatDate(latest.expiresAt)}</span>
		if (latest.status === 'expired') return <span className="badge badge-expired">Expired · was valid until {formatDate(latest.expiresAt)}</span>
		return <span className="badge badge-expired">Certificate revoked</span>
	}
	if (run) return <span className="badge badge-progress">Started</span>
	return null
}
