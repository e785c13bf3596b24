import 'dotenv/config'
import { runDailyCompliance } from '#app/modules/compliance/daily-run.server.ts'
import { disconnectDatabase } from '#app/utils/db.server.ts'
import { isEmailConfigured } from '#app/utils/email.server.ts'
import { configuredAppOrigin } from '#app/utils/env.server.ts'

/**
 * `npm run reminders`: the daily compliance run, for cron on PostgreSQL (the server also runs it
 * every hour; on the embedded database only the server can, as it holds the data directory).
 * Records each organisation's snapshot for the trend and queues the digest (training overdue or
 * due within 7 days) in the outbox, which the running servers' outbox worker emails when SMTP_URL
 * is set. Running it again the same day (UTC) queues nothing new.
 * Exit code 0 when every organisation was done, 1 otherwise.
 */
try {
	const result = await runDailyCompliance({ origin: configuredAppOrigin() })
	const delivery = isEmailConfigured() ? 'the outbox worker emails them' : 'they wait in the outbox: SMTP_URL is not set'
	console.log(
		`Daily compliance run: ${result.organisations} organisation(s), ${result.queued} digest(s) queued (${delivery}), ` +
			`${result.alreadyRemindedToday} member(s) already had a message today.` +
			(result.failedOrganisations ? ` ${result.failedOrganisations} organisation(s) failed; see the errors above.` : ''),
	)
	process.exitCode = result.failedOrganisations ? 1 : 0
} catch (error) {
	console.error(`The daily compliance run failed: ${error instanceof Error ? error.message : String(error)}`)
	process.exitCode = 1
} finally {
	await disconnectDatabase()
}
