import 'dotenv/config'
import { hashPassword } from '#app/modules/auth/password.server.ts'
import { addMonths } from '#app/modules/courses/completion.ts'
import { quizOf } from '#app/modules/courses/answer-keys.server.ts'
import type { CompiledCourse } from '#app/modules/courses/compile-course.server.tsx'
import { backfillComplianceHistory, snapshotOrganisation, TREND_DAYS } from '#app/modules/compliance/history.server.ts'
import { applyBaseline } from '#app/modules/compliance/requirements.server.ts'
import { getCourseLibrary } from '#app/modules/courses/course-library.server.ts'
import { markLessonDone } from '#app/modules/courses/progress.server.ts'
import { findAttempt, openAttempt, submitQuizForm } from '#app/modules/courses/quiz-attempts.server.ts'
import { correctOptionPositions } from '#app/modules/courses/quiz.ts'
import { recordAuditEvent } from '#app/modules/organisations/audit.server.ts'
import { disconnectDatabase, prisma } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'

/** Demo data for trying Bulwark locally. The accounts are listed in the README. */
export const DEMO = {
	organisation: { name: 'Northwind Manufacturing', slug: 'northwind' },
	password: 'safe-and-sound-demo',
	departments: ['Engineering', 'Operations', 'Sales', 'Finance', 'Field Service'],
	admin: { name: 'Ada Admin', email: 'admin@northwind.test' },
	/** Omar sees the whole organisation's compliance; Sofia only Sales. */
	managers: [
		{ name: 'Omar Operations', email: 'manager.operations@northwind.test', department: 'Operations', limitedTo: [] },
		{ name: 'Sofia Sales', email: 'manager.sales@northwind.test', department: 'Sales', limitedTo: ['Sales'] },
	],
	learnerCount: 30,
}

const DAY_MS = 24 * 60 * 60 * 1000

const FIRST_NAMES = ['Amara', 'Ben', 'Chen', 'Dana', 'Elif', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Olu']
const LAST_NAMES = ['Novak', 'Schmidt', 'Okafor', 'Garcia', 'Lindqvist', 'Haddad', 'Tanaka', 'Moreau', 'Kowalski', 'Brennan']

async function seed() {
	if (getEnv().NODE_ENV === 'production') {
		throw new Error('The demo seed creates accounts with published passwords and refuses to run when NODE_ENV=production.')
	}
	const existing = await prisma.organisation.findUnique({ where: { slug: DEMO.organisation.slug }, select: { id: true } })
	if (existing) {
		console.log('Demo data is already there; nothing to do.')
		return
	}
	const passwordHash = await hashPassword(DEMO.password)
	await prisma.$transaction(async (tx) => {
		const organisation = await tx.organisation.create({ data: DEMO.organisation, select: { id: true } })
		const departmentIds = new Map<string, string>()
		for (const name of DEMO.departments) {
			const department = await tx.department.create({ data: { organisationId: organisation.id, name }, select: { id: true } })
			departmentIds.set(name, department.id)
		}
		const people = [
			{ ...DEMO.admin, role: 'ADMIN' as const, department: null },
			...DEMO.managers.map((manager) => ({ ...manager, role: 'MANAGER' as const })),
			...Array.from({ length: DEMO.learnerCount }, (_, index) => {
				const number = String(index + 1).padStart(2, '0')
				return {
					name: `${FIRST_NAMES[index % FIRST_NAMES.length]} ${LAST_NAMES[index % LAST_NAMES.length]}`,
					email: `learner${number}@northwind.test`,
					role: 'LEARNER' as const,
					department: DEMO.departments[index % DEMO.departments.length]!,
				}
			}),
		]
		for (const [index, person] of people.entries()) {
			// Most joined long ago; the last few learners joined last week, so they are due, not overdue.
			const joinedAt = new Date(Date.now() - (index < people.length - 4 ? 400 : 7) * DAY_MS)
			await tx.user.create({
				data: {
					name: person.name,
					email: person.email,
					passwordHash,
					emailVerifiedAt: joinedAt,
					memberships: {
						create: {
							organisationId: organisation.id,
							role: person.role,
							departmentId: person.department ? departmentIds.get(person.department) : null,
							joinedAt,
							roleSince: joinedAt,
							departmentSince: joinedAt,
							managedDepartments: {
								create: ('limitedTo' in person ? person.limitedTo : []).map((name) => ({ departmentId: departmentIds.get(name)! })),
							},
						},
					},
				},
				select: { id: true },
			})
		}
		await recordAuditEvent(tx, { organisationId: organisation.id, actorId: null, action: 'organisation.created', targetLabel: 'Demo data' })
	})
	console.log(`Seeded ${DEMO.organisation.name}: 1 admin, ${DEMO.managers.length} managers, ${DEMO.learnerCount} learners (password "${DEMO.password}").`)
	await seedLearningHistory()
}

/** Takes a course the way a learner does: every lesson, every quiz answered correctly. */
async function takeCourse(learner: { id: string; name: string }, course: CompiledCourse, lastLesson = Number.POSITIVE_INFINITY) {
	for (const lesson of course.variants.en.lessons.slice(0, lastLesson)) {
		const quiz = quizOf(course, lesson.slug, 'en')
		if (!quiz) {
			await markLessonDone(learner, course, lesson.slug, 'en')
			continue
		}
		const { attemptId } = await openAttempt(learner.id, course, lesson, 'en')
		const attempt = await findAttempt(learner.id, course.slug, lesson.slug, attemptId)
		if (!attempt) throw new Error('The attempt just opened is missing')
		// The form a learner would post, with the right options ticked.
		const form = new FormData()
		form.set('attemptId', attemptId)
		for (const question of quiz.questions) {
			const correct = new Set(correctOptionPositions(question, 'en'))
			for (const shown of attempt.presentation[question.id] ?? []) if (correct.has(shown.option)) form.append(`answers.${question.id}`, shown.id)
		}
		const outcome = await submitQuizForm(learner, course, lesson.slug, form)
		if (outcome.status !== 'graded') throw new Error(`Seeding ${course.slug}: the quiz answered ${outcome.status}`)
	}
}

/**
 * Some Northwind learners have finished the sample courses over the past months (one of them more
 * than a year ago, so the certificate has expired), some are half-way, the rest have not started:
 * the dashboards, the compliance trend and the certificates have something to show.
 */
async function seedLearningHistory() {
	const { courses } = await getCourseLibrary()
	const learners = await prisma.user.findMany({
		where: { email: { startsWith: 'learner' }, memberships: { some: { organisation: { slug: DEMO.organisation.slug } } } },
		orderBy: { email: 'asc' },
		select: { id: true, name: true },
	})
	for (const [index, learner] of learners.slice(0, 12).entries()) {
		for (const course of courses) {
			if (index < 8) await takeCourse(learner, course)
			else await takeCourse(learner, course, 1)
		}
	}
	// The finishers completed a month apart; learner01 finished 13 months ago, so the certificate
	// has expired and is due for renewal.
	for (const [index, learner] of learners.slice(0, 8).entries()) {
		const completedAt = index === 0 ? addMonths(new Date(), -13) : new Date(Date.now() - index * 30 * DAY_MS)
		for (const course of courses) {
			await prisma.courseCompletion.updateMany({
				where: { userId: learner.id, courseSlug: course.slug },
				data: { completedAt, expiresAt: addMonths(completedAt, course.facts.validityMonths) },
			})
		}
	}
	console.log(`Learning history: 8 learners completed ${courses.length} courses, 4 are part-way through.`)
	const organisation = await prisma.organisation.findUniqueOrThrow({ where: { slug: DEMO.organisation.slug }, select: { id: true } })
	const admin = await prisma.user.findUniqueOrThrow({ where: { email: DEMO.admin.email }, select: { id: true } })
	const required = await applyBaseline({ organisationId: organisation.id, actorId: admin.id, courses })
	// As if the baseline had been applied a year ago, with a year of daily figures behind it.
	await prisma.trainingRequirement.updateMany({ where: { organisationId: organisation.id }, data: { createdAt: new Date(Date.now() - 365 * DAY_MS) } })
	await backfillComplianceHistory(organisation.id, TREND_DAYS)
	await snapshotOrganisation(organisation.id)
	console.log(`Training baseline: ${required} free module(s) required of everyone, with a year of compliance history.`)
}

try {
	await seed()
} catch (error) {
	console.error(error instanceof Error ? error.message : error)
	process.exitCode = 1
} finally {
	await disconnectDatabase()
}
