/**
 * Set-based seeding for `npm run bench:compliance`: an organisation with 20 departments, 10 training
 * requirements and members with realistic completion histories, all made by a handful of
 * INSERT … SELECT FROM generate_series statements (never one statement per member). Every value
 * is derived from hashtext() of the member's number, so two runs seed the same data.
 *
 * The compliance triggers (and the change-notification triggers) are switched off while loading:
 * with them on, every membership and completion row would rebuild that member's state. The state
 * is then rebuilt once for the organisation with "bulwark_refresh_compliance"(id, NULL, NULL).
 */

/** What the seeding needs of a connection: PGlite and node-postgres both answer `query` with `{ rows }`. */
export type SqlRunner = { query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }

/** A SQL string literal of a value this script made itself (ids, dates, names): never user input. */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`

/** A pseudo-random whole number in [0, modulo) from a SQL text expression. */
const hash = (expression: string, modulo: number) => `CAST(abs(CAST(hashtext(${expression}) AS BIGINT)) % ${modulo} AS INTEGER)`

const DEPARTMENTS = [
	'Accounting', 'Customer Service', 'Design', 'Engineering', 'Facilities', 'Field Service', 'Finance', 'Human Resources', 'IT Operations', 'Legal',
	'Logistics', 'Maintenance', 'Marketing', 'Procurement', 'Production', 'Quality Assurance', 'Research', 'Sales', 'Security', 'Warehouse',
]
const FIRST_NAMES = [
	'Anna', 'Ben', 'Carla', 'David', 'Elif', 'Felix', 'Greta', 'Hannah', 'Ibrahim', 'Jana', 'Karl', 'Lena', 'Mehmet', 'Nina', 'Oskar', 'Paula', 'Quentin', 'Rosa', 'Stefan', 'Tanja',
	'Uwe', 'Vera', 'Wolfgang', 'Xenia', 'Yusuf', 'Zoe', 'Amir', 'Birgit', 'Chen', 'Dana', 'Emil', 'Fatima', 'Georg', 'Heike', 'Igor', 'Julia', 'Kemal', 'Laura', 'Marco', 'Olga',
]
const LAST_NAMES = [
	'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Braun', 'Zimmermann', 'Krüger',
	'Hartmann', 'Lange', 'Werner', 'Krause', 'Lehmann', 'Köhler', 'Maier', "O'Brien", 'Yılmaz', 'Kaya', 'Nowak', 'Kowalski', 'Rossi', 'Garcia', 'Nguyen', 'Smith', 'Jones', 'Dubois', 'Novak', 'Popescu',
]

/** Slugs for requirements beyond the courses in courses/ (the library has fewer than ten): their titles show as the slug. */
const EXTRA_COURSES = [
	'phishing-awareness', 'passwords-and-mfa', 'data-protection-basics', 'remote-work-security', 'malware-and-ransomware',
	'using-ai-tools-safely', 'supply-chain-security', 'connected-devices', 'security-for-managers', 'small-business-security',
]

export type SeedCourse = { slug: string; title: string }

/** Ten course slugs: the library's own first, then made-up ones. */
export function pickCourses(library: SeedCourse[]): { courses: SeedCourse[]; madeUp: number } {
	const courses = library.slice(0, 10)
	const madeUp = 10 - courses.length
	for (const slug of EXTRA_COURSES.filter((candidate) => !courses.some((course) => course.slug === candidate)).slice(0, madeUp)) {
		courses.push({ slug, title: slug })
	}
	return { courses, madeUp }
}

/** 'YYYY-MM-DD HH:MM:SS.mmm' in UTC, how Prisma stores timestamp(3). */
const sqlTimestamp = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '')

export type SeedOrganisation = { id: string; slug: string; adminUserId: string }

/**
 * Disables the user triggers for the runner's session: `session_replication_role = replica` (as a
 * superuser, which the embedded database always is), else ALTER TABLE … DISABLE TRIGGER USER.
 * Returns the function that switches them back on.
 */
export async function withoutTriggers(db: SqlRunner) {
	try {
		await db.query('SET session_replication_role = replica')
		return async () => {
			await db.query('RESET session_replication_role')
		}
	} catch {
		const tables = ['User', 'Membership', 'TrainingRequirement', 'RequirementDepartment', 'CourseCompletion', 'MemberRequirementState', 'MemberComplianceState']
		for (const table of tables) await db.query(`ALTER TABLE "${table}" DISABLE TRIGGER USER`)
		return async () => {
			for (const table of tables) await db.query(`ALTER TABLE "${table}" ENABLE TRIGGER USER`)
		}
	}
}

/**
 * The organisation, its admin, 20 departments and 10 requirements: 7 for everyone, 2 for
 * departments (one of them rolled out 25 days ago, so many of its members are still due), 1 for
 * managers and admins; due within 14 to 90 days; some with their own recurrence.
 */
export async function seedOrganisation(db: SqlRunner, { at, courses }: { at: Date; courses: SeedCourse[] }): Promise<SeedOrganisation> {
	const id = 'benchorg0compliance'
	const slug = 'bench-compliance'
	const adminUserId = 'benchadmin0compliance'
	const now = `CAST(${literal(sqlTimestamp(at))} AS TIMESTAMP(3))`
	const ago = (days: number) => `${now} - make_interval(days => ${days})`
	await db.query(`INSERT INTO "Organisation" ("id", "slug", "name", "createdAt") VALUES (${literal(id)}, ${literal(slug)}, 'Bench Compliance GmbH', ${ago(1400)})`)
	await db.query(`
		INSERT INTO "User" ("id", "email", "name", "passwordHash", "createdAt", "updatedAt")
		VALUES (${literal(adminUserId)}, 'admin@bench-compliance.example.test', 'Bench Admin', '!no-login', ${ago(1400)}, ${ago(1400)})`)
	await db.query(`
		INSERT INTO "Membership" ("id", "organisationId", "userId", "role", "joinedAt", "roleSince", "departmentSince")
		VALUES ('benchadminmembership', ${literal(id)}, ${literal(adminUserId)}, 'ADMIN', ${ago(1400)}, ${ago(1400)}, ${ago(1400)})`)
	await db.query(`
		INSERT INTO "Department" ("id", "organisationId", "name", "createdAt")
		SELECT md5(${literal(id)} || ':department:' || i), ${literal(id)}, (ARRAY[${DEPARTMENTS.map(literal).join(', ')}])[i], ${ago(1400)}
		FROM generate_series(1, ${DEPARTMENTS.length}) i`)
	const department = (index: number) => `md5(${literal(id)} || ':department:' || ${index})`
	const requirements: { audience: string; roles?: string; due: number; recurrence: number | null; createdDaysAgo: number; departments?: number[] }[] = [
		{ audience: 'EVERYONE', due: 30, recurrence: null, createdDaysAgo: 1300 },
		{ audience: 'EVERYONE', due: 30, recurrence: 12, createdDaysAgo: 1300 },
		{ audience: 'EVERYONE', due: 60, recurrence: null, createdDaysAgo: 1250 },
		{ audience: 'EVERYONE', due: 14, recurrence: 24, createdDaysAgo: 1200 },
		{ audience: 'EVERYONE', due: 90, recurrence: null, createdDaysAgo: 1100 },
		{ audience: 'EVERYONE', due: 45, recurrence: 12, createdDaysAgo: 900 },
		{ audience: 'EVERYONE', due: 30, recurrence: null, createdDaysAgo: 400 },
		{ audience: 'DEPARTMENTS', due: 30, recurrence: null, createdDaysAgo: 1300, departments: [17, 18, 14] },
		{ audience: 'DEPARTMENTS', due: 60, recurrence: null, createdDaysAgo: 25, departments: [5, 12, 19] },
		{ audience: 'ROLES', roles: `ARRAY['MANAGER', 'ADMIN']::"Role"[]`, due: 30, recurrence: 24, createdDaysAgo: 1000 },
	]
	for (const [index, requirement] of requirements.entries()) {
		const requirementId = `benchrequirement${index}`
		await db.query(`
			INSERT INTO "TrainingRequirement" ("id", "organisationId", "courseSlug", "audience", "roles", "dueWithinDays", "recurrenceMonths", "createdAt")
			VALUES (${literal(requirementId)}, ${literal(id)}, ${literal(courses[index]!.slug)}, '${requirement.audience}', ${requirement.roles ?? `ARRAY[]::"Role"[]`},
				${requirement.due}, ${requirement.recurrence ?? 'NULL'}, ${ago(requirement.createdDaysAgo)})`)
		for (const departmentIndex of requirement.departments ?? []) {
			await db.query(`INSERT INTO "RequirementDepartment" ("requirementId", "departmentId") VALUES (${literal(requirementId)}, ${department(departmentIndex)})`)
		}
	}
	return { id, slug, adminUserId }
}

/**
 * Members number `from` to `to` (inclusive): users, memberships spread over three years of joining
 * dates (1 % without a department, 1 % deactivated, one in 200 a manager limited to their
 * department, department sizes uneven), and per member and required course 0–3 completions:
 * 98.5 % renew on time (so a few are within 30 days of expiry), 1 % stopped renewing, 0.5 % never
 * started; newcomers complete within their due window or are still due; 0.5 % of completions revoked.
 * Returns the number of completions made.
 */
export async function seedMembers(db: SqlRunner, organisation: SeedOrganisation, { from, to, at, courses }: { from: number; to: number; at: Date; courses: SeedCourse[] }) {
	const org = literal(organisation.id)
	const now = `CAST(${literal(sqlTimestamp(at))} AS TIMESTAMP(3))`
	const days = (expression: string) => `make_interval(days => ${expression})`
	const members = `generate_series(${from}, ${to}) n`
	await db.query(`
		INSERT INTO "User" ("id", "email", "name", "passwordHash", "language", "createdAt", "updatedAt")
		SELECT md5(${org} || ':user:' || n), 'member' || n || '@${organisation.slug}.example.test',
			(ARRAY[${FIRST_NAMES.map(literal).join(', ')}])[1 + ${hash(`'first' || n`, FIRST_NAMES.length)}] || ' ' ||
				(ARRAY[${LAST_NAMES.map(literal).join(', ')}])[1 + ${hash(`'last' || n`, LAST_NAMES.length)}],
			'!no-login', CAST(CASE WHEN n % 10 = 3 THEN 'de' ELSE 'en' END AS "Language"),
			${now} - ${days(`${hash(`'joined' || n`, 1096)} + 1`)}, ${now}
		FROM ${members}`)
	await db.query(`
		INSERT INTO "Membership" ("id", "organisationId", "userId", "role", "departmentId", "joinedAt", "roleSince", "departmentSince", "deactivatedAt")
		SELECT md5(${org} || ':membership:' || n), ${org}, md5(${org} || ':user:' || n),
			CAST(CASE WHEN n % 200 = 0 THEN 'MANAGER' WHEN n % 25000 = 7 THEN 'ADMIN' ELSE 'LEARNER' END AS "Role"),
			CASE WHEN n % 100 = 42 THEN NULL ELSE md5(${org} || ':department:' || (1 + floor(sqrt(${hash(`'department' || n`, 400)})))) END,
			joined,
			CASE WHEN n % 200 = 0 THEN joined + ${days(`${hash(`'promoted' || n`, 1000)} % (${hash(`'joined' || n`, 1096)} + 1)`)} ELSE joined END,
			CASE WHEN n % 10 = 5 THEN joined + ${days(`${hash(`'moved' || n`, 1000)} % (${hash(`'joined' || n`, 1096)} + 1)`)} ELSE joined END,
			CASE WHEN n % 100 = 17 THEN ${now} - ${days(hash(`'left' || n`, 200))} END
		FROM ${members}
		CROSS JOIN LATERAL (SELECT ${now} - ${days(`${hash(`'joined' || n`, 1096)} + 1`)} AS joined) j`)
	// Managers see their own department; one in five of them the whole organisation.
	await db.query(`
		INSERT INTO "ManagerDepartment" ("membershipId", "departmentId")
		SELECT m."id", m."departmentId"
		FROM ${members} JOIN "Membership" m ON m."id" = md5(${org} || ':membership:' || n)
		WHERE m."role" = 'MANAGER' AND m."departmentId" IS NOT NULL AND n % 1000 <> 0`)
	const titles = courses.map((course) => `(${literal(course.slug)}, ${literal(course.title)})`).join(', ')
	// p.h picks the member's habit for the requirement, p.h2 the day within the renewal period;
	// k = 0 is the latest completion, 1 and 2 the renewals before it.
	const result = await db.query(`
		WITH inserted AS (
			INSERT INTO "CourseCompletion" ("id", "userId", "courseSlug", "courseVersion", "courseTitle", "learnerName", "completedAt", "expiresAt", "certificateCode", "revokedAt", "revocationReason")
			SELECT md5(m."id" || ':' || r."id" || ':' || k), m."userId", r."courseSlug", '1.0.0', t.title, u."name", c.completed, c.completed + INTERVAL '12 months',
				upper(substr(md5('certificate:' || m."id" || ':' || r."id" || ':' || k), 1, 20)),
				CASE WHEN ${hash(`'revoked' || m."id" || r."id" || k`, 1000)} < 5 THEN c.completed + INTERVAL '3 days' END,
				CASE WHEN ${hash(`'revoked' || m."id" || r."id" || k`, 1000)} < 5 THEN 'Completed on a shared account' END
			FROM ${members}
			JOIN "Membership" m ON m."id" = md5(${org} || ':membership:' || n)
			JOIN "User" u ON u."id" = m."userId"
			JOIN "TrainingRequirement" r ON r."organisationId" = m."organisationId"
			JOIN (VALUES ${titles}) t(slug, title) ON t.slug = r."courseSlug"
			CROSS JOIN LATERAL (
				SELECT ${hash(`m."id" || r."id"`, 1000)} AS h, ${hash(`r."id" || m."id"`, 100000)} AS h2,
					GREATEST(m."joinedAt", r."createdAt",
						CASE WHEN r."audience" = 'DEPARTMENTS' THEN m."departmentSince" END,
						CASE WHEN r."audience" = 'ROLES' THEN m."roleSince" END) AS since,
					COALESCE(r."recurrenceMonths", 12) * 30 AS period
			) p
			CROSS JOIN generate_series(0, 2) k
			CROSS JOIN LATERAL (
				SELECT CASE
					WHEN p.h < 10 THEN ${now} - ${days('p.period + 20 + p.h2 % 300 + k * p.period')}
					WHEN p.h < 15 THEN NULL
					ELSE ${now} - ${days('p.h2 % (p.period - 20) + k * (p.period - p.h2 % 20)')}
				END AS renewal
			) x
			CROSS JOIN LATERAL (
				SELECT CASE
					WHEN x.renewal >= p.since THEN x.renewal
					WHEN k = 0 AND p.h >= 15 AND p.since + ${days('p.h2 % r."dueWithinDays"')} <= ${now} THEN p.since + ${days('p.h2 % r."dueWithinDays"')}
				END AS completed
			) c
			WHERE c.completed IS NOT NULL
				AND (
					r."audience" = 'EVERYONE'
					OR (r."audience" = 'DEPARTMENTS' AND EXISTS (SELECT 1 FROM "RequirementDepartment" rd WHERE rd."requirementId" = r."id" AND rd."departmentId" = m."departmentId"))
					OR (r."audience" = 'ROLES' AND m."role" = ANY (r."roles"))
				)
			RETURNING 1
		)
		SELECT CAST(COUNT(*) AS INTEGER) AS "completions" FROM inserted`)
	return (result.rows[0] as { completions: number }).completions
}

/** Rebuilds the organisation's stored compliance state from its one definition. */
export async function refreshCompliance(db: SqlRunner, organisation: SeedOrganisation) {
	await db.query(`SELECT "bulwark_refresh_compliance"(${literal(organisation.id)}, NULL, NULL)`)
}

/**
 * 365 daily snapshots ending today, per department: today's counts, with fewer members and more
 * of them overdue the further back (the organisation grew and got better at it), and a weekly wobble.
 */
export async function seedSnapshots(db: SqlRunner, organisation: SeedOrganisation, at: Date) {
	const org = literal(organisation.id)
	const now = `CAST(${literal(sqlTimestamp(at))} AS TIMESTAMP(3))`
	await db.query(`
		WITH today AS (
			SELECT COALESCE(s."departmentId", '') AS department, COUNT(*) AS members,
				COUNT(*) FILTER (WHERE s.status = 'OVERDUE') AS overdue, COUNT(*) FILTER (WHERE s.status = 'DUE') AS due,
				COUNT(*) FILTER (WHERE s.status = 'EXPIRING') AS expiring
			FROM (
				SELECT "departmentId", "bulwark_member_status"("requirementCount", "firstDueOn", "firstExpiry", ${now}) AS status
				FROM "MemberComplianceState" WHERE "organisationId" = ${org}
			) s
			GROUP BY 1
		),
		daily AS (
			SELECT d, department, CAST(round(members * (1 - 0.3 * d / 365.0)) AS INTEGER) AS members, 1 - 0.3 * d / 365.0 AS scale,
				overdue * (1 + 1.5 * d / 365.0 + 0.15 * sin(d / 7.0)) AS overdue, due, expiring
			FROM generate_series(0, 364) d CROSS JOIN today
		),
		counted AS (
			SELECT daily.d, daily.department, daily.members, o.overdue, du.due, ex.expiring
			FROM daily
			CROSS JOIN LATERAL (SELECT CAST(least(round(daily.overdue * daily.scale), daily.members) AS INTEGER) AS overdue) o
			CROSS JOIN LATERAL (SELECT CAST(least(round(daily.due * daily.scale), daily.members - o.overdue) AS INTEGER) AS due) du
			CROSS JOIN LATERAL (SELECT CAST(least(round(daily.expiring * daily.scale), daily.members - o.overdue - du.due) AS INTEGER) AS expiring) ex
		)
		INSERT INTO "ComplianceSnapshot" ("organisationId", "day", "byDepartment")
		SELECT ${org}, CAST(${now} AS DATE) - d, jsonb_object_agg(department, jsonb_build_object(
			'OVERDUE', overdue, 'DUE', due, 'EXPIRING', expiring, 'COMPLIANT', members - overdue - due - expiring
		))
		FROM counted
		GROUP BY d`)
}

/** Members of the organisation by status as a whole, and the stored rows, for the report. */
export async function describeSeed(db: SqlRunner, organisation: SeedOrganisation, at: Date) {
	const org = literal(organisation.id)
	const now = `CAST(${literal(sqlTimestamp(at))} AS TIMESTAMP(3))`
	const statuses = await db.query(`
		SELECT "bulwark_member_status"("requirementCount", "firstDueOn", "firstExpiry", ${now}) AS status, CAST(COUNT(*) AS INTEGER) AS members
		FROM "MemberComplianceState" WHERE "organisationId" = ${org} GROUP BY 1 ORDER BY 1`)
	const counts = await db.query(`
		SELECT (SELECT CAST(COUNT(*) AS INTEGER) FROM "MemberRequirementState" WHERE "organisationId" = ${org}) AS "requirementRows",
			(SELECT CAST(COUNT(*) AS INTEGER) FROM "CourseCompletion") AS "completions"`)
	return {
		byStatus: Object.fromEntries((statuses.rows as { status: string; members: number }[]).map((row) => [row.status, row.members])),
		...(counts.rows[0] as { requirementRows: number; completions: number }),
	}
}
