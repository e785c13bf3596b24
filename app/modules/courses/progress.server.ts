import { randomBytes } from 'node:crypto'
import type { Prisma } from '#app/generated/prisma/client.ts'
import { generateCertificateCode } from '#app/modules/certificates/certificate-code.server.ts'
import { changeInvalidatedCache } from '#app/utils/change-cache.server.ts'
import { isUniqueConstraintError, prisma, queryRows, type SqlStatement } from '#app/utils/db.server.ts'
import type { CompiledCourse } from './compile-course.server.tsx'
import { pickVariant } from './course-library.server.ts'
import { type CertificateStatus, addMonths, certificateStatus, evaluateCompletion, type LessonOutline } from './completion.ts'
import type { Language } from './course-schema.ts'

type Transaction = Prisma.TransactionClient

export function outlineOf(course: CompiledCourse): LessonOutline[] {
	return course.variants.en.lessons.map((lesson) => ({ slug: lesson.slug, hasQuiz: lesson.hasQuiz }))
}

type ProgressRow = {
	id: string
	runStartedAt: Date
	resumeLessonSlug: string | null
	doneLessons: string[]
	passedQuizzes: string[]
	completionId: string | null
	completedAt: Date | null
	expiresAt: Date | null
	certificateCode: string | null
	revokedAt: Date | null
}

// Every lesson page reads it: one statement, whose SQL is the function the migration
// course_progress_function made, planned once per connection (docs/decisions/014).
const PROGRESS_STATEMENT: SqlStatement = { name: 'bulwark_course_progress', text: 'SELECT * FROM "bulwark_course_progress"($1, $2)' }

/**
 * The learner's current run through a course (inside `tx` when given), or null before they start
 * it: the lessons done, the quizzes passed since the run started, and the completion the run earned.
 */
export async function loadProgress(userId: string, courseSlug: string, tx?: Transaction) {
	const readRow = async () => (await queryRows<ProgressRow>(PROGRESS_STATEMENT, [userId, courseSlug], tx))[0]
	// A transaction reads its own writes; outside one, the cache of the learner's runs may answer.
	const cache = tx ? null : await changeInvalidatedCache<ProgressRow>('course-progress')
	const row = cache ? await cache.read(`${userId} ${courseSlug}`, readRow, () => userId) : await readRow()
	if (!row) return null
	const completion =
		row.completionId && row.completedAt && row.expiresAt && row.certificateCode
			? { id: row.completionId, completedAt: row.completedAt, expiresAt: row.expiresAt, certificateCode: row.certificateCode, revokedAt: row.revokedAt }
			: null
	return {
		id: row.id,
		runStartedAt: row.runStartedAt,
		resumeLessonSlug: row.resumeLessonSlug,
		completion,
		doneLessons: new Set(row.doneLessons),
		passedQuizzes: new Set(row.passedQuizzes),
	}
}
export type Progress = NonNullable<Awaited<ReturnType<typeof loadProgress>>>

/** Remembers the lesson a learner opened as their resume point; a repeat visit writes nothing. */
export async function rememberLesson(userId: string, courseSlug: string, lessonSlug: string, progress: Progress | null) {
	if (progress?.resumeLessonSlug === lessonSlug) return
	const remember = () =>
		prisma.courseProgress.upsert({
			where: { userId_courseSlug: { userId, courseSlug } },
			create: { userId, courseSlug, resumeLessonSlug: lessonSlug },
			update: { resumeLessonSlug: lessonSlug },
			select: { id: true },
		})
	try {
		await remember()
	} catch (error) {
		// Two first visits at once (two tabs): the other created the row; update it.
		if (!isUniqueConstraintError(error)) throw error
		await remember()
	}
}

/**
 * The run's row, created if needed and locked, so concurrent steps of one learner complete the
 * course once. ON CONFLICT: two first steps at the same moment must not collide on the unique key.
 */
async function lockRun(tx: Transaction, userId: string, courseSlug: string) {
	const now = new Date()
	await tx.$executeRaw`
		INSERT INTO "CourseProgress" ("id", "userId", "courseSlug", "runStartedAt", "updatedAt")
		VALUES (${randomBytes(12).toString('hex')}, ${userId}, ${courseSlug}, ${now}, ${now})
		ON CONFLICT ("userId", "courseSlug") DO NOTHING`
	const [run] = await tx.$queryRaw<{ id: string }[]>`
		SELECT "id" FROM "CourseProgress" WHERE "userId" = ${userId} AND "courseSlug" = ${courseSlug} FOR UPDATE`
	if (!run) throw new Error(`No course progress for ${courseSlug} after creating it`)
	return run.id
}

type Learner = { id: string; name: string }

/** What a recorded step led to: the completion it issued, if any, and the lessons still to do. */
export type StepOutcome = { completion: { certificateCode: string } | null; remainingLessons: string[] }

/**
 * Issues the completion (and its certificate) once every lesson of the run is done and every quiz
 * passed. Call inside the transaction that recorded the step, after `lockRun`.
 */
async function completeIfDone(tx: Transaction, learner: Learner, course: CompiledCourse, language: Language): Promise<StepOutcome> {
	const progress = await loadProgress(learner.id, course.slug, tx)
	const state = evaluateCompletion(outlineOf(course), progress?.doneLessons ?? new Set(), progress?.passedQuizzes ?? new Set())
	if (!progress || progress.completion || !state.complete) return { completion: null, remainingLessons: state.remainingLessons }
	const completedAt = new Date()
	const completion = await tx.courseCompletion.create({
		data: {
			userId: learner.id,
			courseSlug: course.slug,
			courseVersion: course.facts.version,
			courseTitle: pickVariant(course, language).title,
			learnerName: learner.name,
			completedAt,
			expiresAt: addMonths(completedAt, course.facts.validityMonths),
			certificateCode: generateCertificateCode(),
		},
		select: { id: true, certificateCode: true },
	})
	await tx.courseProgress.update({ where: { id: progress.id }, data: { completionId: completion.id }, select: { id: true } })
	return { completion, remainingLessons: [] }
}

/** Records a lesson as done (inside `tx` when given), completing the course if that was the last step. */
export async function markLessonDone(learner: Learner, course: CompiledCourse, lessonSlug: string, language: Language, tx?: Transaction) {
	const run = async (db: Transaction) => {
		const progressId = await lockRun(db, learner.id, course.slug)
		await db.lessonCompletion.upsert({
			where: { progressId_lessonSlug: { progressId, lessonSlug } },
			create: { progressId, lessonSlug },
			update: {},
			select: { lessonSlug: true },
		})
		return completeIfDone(db, learner, course, language)
	}
	return tx ? run(tx) : prisma.$transaction(run)
}

/** Starts a new run after a completion (to renew it): lesson progress resets, completions stay. */
export async function restartCourse(userId: string, courseSlug: string) {
	await prisma.$transaction(async (tx) => {
		const progressId = await lockRun(tx, userId, courseSlug)
		await tx.lessonCompletion.deleteMany({ where: { progressId } })
		await tx.courseProgress.update({
			where: { id: progressId },
			data: { runStartedAt: new Date(), resumeLessonSlug: null, completionId: null },
			select: { id: true },
		})
	})
}

export type CourseStanding = {
	/** The current run, unless the learner never opened the course. */
	run: { doneLessonSlugs: string[]; resumeLessonSlug: string | null; completed: boolean } | null
	/** The most recent completion, whether or not it is still valid. */
	latest: { courseTitle: string; completedAt: Date; expiresAt: Date; certificateCode: string; status: CertificateStatus } | null
}

/** Where the learner stands on every course they have touched: the catalogue and the dashboard read this. */
export async function loadCourseStandings(userId: string, { courseSlug, now = new Date() }: { courseSlug?: string; now?: Date } = {}) {
	const [runs, completions] = await Promise.all([
		prisma.courseProgress.findMany({
			where: { userId, courseSlug },
			select: { courseSlug: true, resumeLessonSlug: true, completionId: true, lessons: { select: { lessonSlug: true } } },
		}),
		prisma.courseCompletion.findMany({
			where: { userId, courseSlug },
			orderBy: { completedAt: 'desc' },
			distinct: ['courseSlug'],
			select: { courseSlug: true, courseTitle: true, completedAt: true, expiresAt: true, revokedAt: true, certificateCode: true },
		}),
	])
	const standings = new Map<string, CourseStanding>()
	const standingOf = (slug: string) => standings.get(slug) ?? standings.set(slug, { run: null, latest: null }).get(slug)!
	for (const run of runs) {
		standingOf(run.courseSlug).run = {
			doneLessonSlugs: run.lessons.map((lesson) => lesson.lessonSlug),
			resumeLessonSlug: run.resumeLessonSlug,
			completed: Boolean(run.completionId),
		}
	}
	for (const { revokedAt, ...completion } of completions) {
		standingOf(completion.courseSlug).latest = { ...completion, status: certificateStatus({ expiresAt: completion.expiresAt, revokedAt }, now) }
	}
	return standings
}
