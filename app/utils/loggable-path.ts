// The emailed links carry their token in the path (/reset-password/<token>, /verify-email/<token>,
// /invitations/<token>); a log line names such a page without it, so the log never holds a
// working link. Query strings are never logged (an SSO callback's code and state are there).

const TOKEN_IN_PATH = /^\/(reset-password|verify-email|invitations)\/[^/]+/

/** The path as a log line may show it: without a query, and with any link's token replaced. */
export function loggablePath(path: string) {
	return path.replace(TOKEN_IN_PATH, '/$1/<token>')
}
