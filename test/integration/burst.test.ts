import { describe, expect, test } from 'vitest'
import type { Question } from '#app/modules/courses/course-schema.ts'
import { prisma, usesEmbeddedDatabase } from '#app/utils/db.server.ts'
import { reloadAppWith } from '#tests/fixtures/database.ts'
import { answerFields, correctPositions, fixtureQuiz, formPost, lessonUrl, MEMBERS_COURSE, openQuiz, wrongPositions } from '#tests/fixtures/learning.ts'
import { addMember, createOrganisationWithAdmin, createSessionCookie, createUser, routeContext } from '#tests/fixtures/users.ts'

/**
 * Quiz submissions in a burst, with a pool far smaller than the burst (on PostgreSQL) and a short
 * wait for a connection: a submission that cannot get one in time answers 503 and records
 * nothing; every one that answered 302 is recorded, once.
 */
const LEARNERS = 50
const ATTEMPTS_PER_LEARNER = 4
const SMALL_POOL = { DATABASE_POOL_SIZE: '2', DATABASE_CONNECT_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '2000', DATABASE_TRANSACTION_TIMEOUT_MS: '3000' }
const LESSON = 'final-quiz'

/**
 * The lesson route's action as the server runs it (wrapped to answer 503 when the database cannot
 * serve), on PostgreSQL loaded afresh with a small pool; PGlite is one connection anyway.
 */
async function submitter() {
	const reloaded = usesEmbeddedDatabase() ? null : await reloadAppWith(SMALL_POOL)
	const { withDatabaseOutageAnswer } = await import('#app/modules/db/availability.server.ts')
	const { action } = await import('#app/routes/courses.$courseSlug.$lessonSlug.tsx')
	const submit = withDatabaseOutageAnswer(action)
	const url = lessonUrl(MEMBERS_COURSE, LESSON)
	return {
		/** The status the submission answered, and the attempt a 302 points at. */
		async post(cookie: string, fields: [string, string][]) {
			try {
				const response = await submit({ request: formPost(url, fields, { cookie }), params: { courseSlug: MEMBERS_COURSE, lessonSlug: LESSON }, context: routeContext() })
				if (!(response instanceof Response)) return { status: 200, attemptId: null }
				return { status: response.status, attemptId: /[?&]attempt=([^#&]+)/.exec(response.headers.get('Location') ?? '')?.[1] ?? null }
			} catch (error) {
				if (error instanceof Response) return { status: error.status, attemptId: null, retryAfter: error.headers.get('Retry-After') }
				return { status: 500, attemptId: null, error: String(error) }
			}
		},
		restore: () => reloaded?.restore(),
	}
}

/** Learners in one organisation, each with `attempts` open attempts at the final quiz (one opened by the page, the rest alike). */
async function learnersWithAttempts(count: number, attempts: number) {
	const { organisation } = await createOrganisationWithAdmin({ prefix: 'burst' })
	return Promise.all(
		Array.from({ length: count }, async () => {
			const user = await createUser({ prefix: 'burst' })
			await addMember(organisation.id, { user })
			const { cookie } = await createSessionCookie(user.id)
			const { attemptId } = await openQuiz(cookie, MEMBERS_COURSE, LESSON)
			const opened = await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })
			const { id: _id, startedAt: _startedAt, answers: _answers, ...shape } = opened
			const more = await Promise.all(
				Array.from({ length: attempts - 1 }, () => prisma.quizAttempt.create({ data: { ...shape, presentation: opened.presentation ?? {} }, select: { id: true } })),
			)
			return { user, cookie, attemptIds: [attemptId, ...more.map((attempt) => attempt.id)] }
		}),
	)
}

function countBy<T>(items: T[], key: (item: T) => string | number) {
	const counts: Record<string, number> = {}
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1
	return counts
}

describe('a burst of quiz submissions', () => {
	test(`${LEARNERS * ATTEMPTS_PER_LEARNER} at once from ${LEARNERS} learners answer only 302 or 503, and the database holds exactly the acknowledged ones`, async () => {
		const quiz = await fixtureQuiz(MEMBERS_COURSE, LESSON)
		const learners = await learnersWithAttempts(LEARNERS, ATTEMPTS_PER_LEARNER)
		// Half of each learner's attempts pass, so passes of one learner also meet in the lesson's record.
		const submissions = await Promise.all(
			learners.flatMap(({ cookie, attemptIds }) =>
				attemptIds.map(async (attemptId, index) => {
					const choose: (question: Question) => number[] = index % 2 === 0 ? correctPositions : wrongPositions
					return { attemptId, passes: index % 2 === 0, cookie, fields: await answerFields(attemptId, quiz, choose) }
				}),
			),
		)
		const app = await submitter()
		try {
			const answers = await Promise.all(submissions.map(async (submission) => ({ ...submission, answer: await app.post(submission.cookie, submission.fields) })))

			const statuses = countBy(answers, ({ answer }) => answer.status)
			console.log(`${answers.length} submissions at once (${usesEmbeddedDatabase() ? 'PGlite' : 'PostgreSQL, pool of 2, 1000 ms wait'}): ${JSON.stringify(statuses)}`)
			expect(answers.filter(({ answer }) => answer.status !== 302 && answer.status !== 503).map(({ answer }) => answer)).toEqual([])
			for (const { attemptId, answer } of answers) {
				if (answer.status === 302) expect(answer.attemptId).toBe(attemptId)
				else expect(answer).toMatchObject({ retryAfter: expect.stringMatching(/^\d+$/) })
			}

			const acknowledged = answers.filter(({ answer }) => answer.status === 302)
			const recorded = await prisma.quizAttempt.findMany({ where: { id: { in: answers.map(({ attemptId }) => attemptId) }, status: 'SUBMITTED' }, select: { id: true } })
			expect(recorded.map(({ id }) => id).sort()).toEqual(acknowledged.map(({ attemptId }) => attemptId).sort())
			// The lesson is done for exactly the learners with an acknowledged pass, once each.
			const passedLearners = new Set(acknowledged.filter(({ passes }) => passes).map(({ cookie }) => cookie))
			const lessonRecords = await prisma.lessonCompletion.findMany({
				where: { lessonSlug: LESSON, progress: { userId: { in: learners.map(({ user }) => user.id) } } },
				select: { progress: { select: { userId: true } } },
			})
			expect(lessonRecords.map(({ progress }) => progress.userId).sort()).toEqual(learners.filter(({ cookie }) => passedLearners.has(cookie)).map(({ user }) => user.id).sort())
		} finally {
			await app.restore()
		}
	}, 120_000)

	test(`the same form submitted twice at once by ${LEARNERS} learners records each attempt once`, async () => {
		const quiz = await fixtureQuiz(MEMBERS_COURSE, LESSON)
		const learners = await learnersWithAttempts(LEARNERS, 1)
		const app = await submitter()
		try {
			const results = await Promise.all(
				learners.map(async ({ user, cookie, attemptIds: [attemptId] }) => {
					const fields = await answerFields(attemptId!, quiz, correctPositions)
					const pair = await Promise.all([app.post(cookie, fields), app.post(cookie, fields)])
					return { user, attemptId: attemptId!, pair }
				}),
			)

			console.log(`${LEARNERS} double submissions: ${JSON.stringify(countBy(results, ({ pair }) => pair.map((answer) => answer.status).sort().join('+')))}`)
			for (const { user, attemptId, pair } of results) {
				expect(pair.filter((answer) => answer.status !== 302 && answer.status !== 503)).toEqual([])
				for (const answer of pair) if (answer.status === 302) expect(answer.attemptId).toBe(attemptId)
				const acknowledged = pair.some((answer) => answer.status === 302)
				const attempt = await prisma.quizAttempt.findUniqueOrThrow({ where: { id: attemptId }, select: { status: true } })
				expect(attempt.status).toBe(acknowledged ? 'SUBMITTED' : 'STARTED')
				expect(await prisma.quizAttempt.count({ where: { userId: user.id } })).toBe(1)
				expect(await prisma.lessonCompletion.count({ where: { lessonSlug: LESSON, progress: { userId: user.id } } })).toBe(acknowledged ? 1 : 0)
			}
		} finally {
			await app.restore()
		}
	}, 120_000)
})
