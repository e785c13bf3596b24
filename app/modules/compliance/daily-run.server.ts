import { Prisma } from '#app/generated/prisma/client.ts'
import { queueEmails } from '#app/modules/mail/outbox.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { snapshotOrganisation, utcDay } from './history.server.ts'
import { DIGEST_DUE_WITHIN_DAYS, groupByMember } from './reminder-messages.ts'
import { labelResolver, outstandingOf, remindersFor, requirementsAt } from './reminders.server.ts'

// The daily compliance run: each organisation's snapshot for the trend, and the digest to every
// member with training overdue or due within 7 days, queued in the outbox for its worker.

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * The digest's recipients in one organisation: active members with a requirement overdue, or due
 * by `dueBy`; each with all their due and overdue requirements. One statement.
 */
const findDigestMembers = (organisationId: string, at: Date, dueBy: Date) =>
	outstandingOf(
		Prisma.sql`
			SELECT o.*, bool_or(o."status" = 'OVERDUE' OR (o."status" = 'DUE' AND o."dueOn" <= ${dueBy}::date)) OVER (PARTITION BY o."membershipId") AS "urgent"
			FROM (${requirementsAt(at)} WHERE r."organisationId" = ${organisationId}) o`,
		Prisma.sql`AND o."urgent"`,
	)

export type DailyRunResult = {
	organisations: number
	queued: number
	alreadyRemindedToday: number
	/** Organisations whose snapshot or digest failed (logged); the others were done all the same. */
	failedOrganisations: number
}

/**
 * The daily job (the server hourly, or `npm run reminders` from cron): for every organisation,
 * today's compliance snapshot and the digests. Safe to run again the same day: the snapshot is
 * replaced and nobody gets a second digest.
 */
export async function runDailyCompliance({ origin, at = new Date() }: { origin: string; at?: Date }): Promise<DailyRunResult> {
	const organisations = await prisma.organisation.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true } })
	const dueBy = new Date(utcDay(at).getTime() + DIGEST_DUE_WITHIN_DAYS * DAY_MS)
	const result: DailyRunResult = { organisations: organisations.length, queued: 0, alreadyRemindedToday: 0, failedOrganisations: 0 }
	for (const organisation of organisations) {
		try {
			await snapshotOrganisation(organisation.id, at)
			const [rows, labelOf] = await Promise.all([findDigestMembers(organisation.id, at, dueBy), labelResolver(organisation.id)])
			const messages = remindersFor(groupByMember(rows), { kind: 'DIGEST', organisationName: organisation.name, origin, labelOf }, organisation.id, null)
			const written = await queueEmails(prisma, messages, at)
			result.queued += written.length
			result.alreadyRemindedToday += messages.length - written.length
		} catch (error) {
			result.failedOrganisations++
			console.error(`The daily compliance run failed for organisation ${organisation.id}`, error)
		}
	}
	return result
}
