// Dates print in UTC, the zone they are stored and compared in, so a certificate, its PDF and
// its verification page always show the same day wherever they are opened.
const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' })

/** "23 November 2026". */
export function formatDate(date: Date | string) {
	return dateFormat.format(new Date(date))
}
