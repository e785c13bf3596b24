import { getAuthSession, requireSession } from '#app/modules/auth/auth.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { forbidden, notFound } from '#app/utils/http.server.ts'
import type { CompiledCourse } from './compile-course.server.tsx'
import { findCourse } from './course-library.server.ts'
import { COURSE_SLUG_PATTERN } from './course-schema.ts'

export async function requireCourse(slug: string | undefined) {
	const course = slug && COURSE_SLUG_PATTERN.test(slug) ? await findCourse(slug) : null
	if (!course) throw notFound('We could not find that course. It may have been renamed: see the catalogue.')
	return course
}

export async function isOrganisationMember(userId: string) {
	return (await prisma.membership.count({ where: { userId, deactivatedAt: null } })) > 0
}

const MEMBERS_ONLY = 'This course is for members of an organisation. Ask your organisation to invite you, or create one for your company.'

/** Free courses are open to every account; the others to members of any organisation. */
export async function canTakeCourse(userId: string, course: CompiledCourse) {
	return course.facts.free || (await isOrganisationMember(userId))
}

/** Taking lessons, quizzes and certificates needs an account, and membership for courses that are not free. */
export async function requireLearner(request: Request, course: CompiledCourse) {
	const session = await requireSession(request)
	if (!(await canTakeCourse(session.user.id, course))) throw forbidden(MEMBERS_ONLY)
	return session
}

/** Anyone may read a free course's overview; the others need the same access as taking them. */
export async function readOverviewAccess(request: Request, course: CompiledCourse) {
	if (!course.facts.free) return requireLearner(request, course)
	return (await getAuthSession(request)).session
}
