import { createHash, randomBytes } from 'node:crypto'
import type { Prisma } from '#app/generated/prisma/client.ts'
import type { Role } from '#app/generated/prisma/enums.ts'
import { generateToken, hashToken } from '#app/modules/auth/session-token.server.ts'
import { queueEmails } from '#app/modules/mail/outbox.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { type AuditEntry, recordAuditEvents } from './audit.server.ts'
import { INVITATION_LIFETIME_MS, invitationEmail, invitationUrl } from './invitations.server.ts'
import { IMPORT_LIMITS, type ImportProblem, type ImportRow } from './member-import.ts'
import { readMemberCsvText } from './member-import-csv.server.ts'
import { keepsAnAdmin, LAST_ADMIN_MESSAGE, MemberChangeError, placementAuditEvents, placementChange } from './members.server.ts'
import { ROLE_LABELS } from './roles.ts'

/**
 * A CSV import planned against the organisation as it is, and applied in one transaction. The
 * preview shows the plan; applying plans again under lock and goes ahead only when the plan is
 * the one the admin saw (its fingerprint), so nothing the browser sends is trusted beyond the file.
 */

type Db = Prisma.TransactionClient | typeof prisma

export const IMPORT_PLAN_MESSAGES = {
	changedSinceReview: 'The members changed since the preview (someone else edited them, or another import ran). Review the import again.',
	altered: 'The file sent back from the preview could not be read, so nothing was changed. Upload it again.',
} as const

/** 10,000 rows took about 8 s to apply on PostgreSQL and 24 s on PGlite (bench:import); the 10 s default is for single changes. */
const APPLY_TIMEOUT_MS = 120_000

export class ImportChangedError extends Error {}

export type PlannedInvitation = { line: number; email: string; name: string | null; role: Role; department: string | null; replacesOpenInvitation: boolean }
export type PlannedChange = {
	line: number
	membershipId: string
	userId: string
	email: string
	name: string
	role: { from: Role; to: Role }
	department: { from: string | null; to: string | null }
}
export type MissingMember = { membershipId: string; userId: string; email: string; name: string; role: Role }

export type ImportPlan = {
	invitations: PlannedInvitation[]
	changes: PlannedChange[]
	newDepartments: string[]
	/** Active members not in the file (never the admin importing); deactivated only when `deactivateMissing`. */
	missing: MissingMember[]
	deactivateMissing: boolean
	unchanged: number
	/** Problems of the plan as a whole (the file itself was fine): nothing can be applied while there are any. */
	problems: ImportProblem[]
	fingerprint: string
}

/** Department names compare as createDepartment compares them: without case. */
const departmentKey = (name: string) => name.trim().toLocaleLowerCase('de')

async function loadOrganisation(db: Db, organisationId: string) {
	const [memberships, departments, openInvitations] = await Promise.all([
		db.membership.findMany({
			where: { organisationId },
			select: { id: true, role: true, departmentId: true, deactivatedAt: true, userId: true, user: { select: { email: true, name: true } } },
		}),
		db.department.findMany({ where: { organisationId }, select: { id: true, name: true } }),
		db.invitation.findMany({ where: { organisationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } }, select: { email: true } }),
	])
	return { memberships, departments, openInvitations }
}

/** A SHA-256 over everything the plan would write, in a fixed order: equal plans, equal fingerprints. */
function fingerprintOf(plan: Omit<ImportPlan, 'fingerprint'>) {
	const content = JSON.stringify([
		plan.invitations.map((invitation) => [invitation.email, invitation.role, invitation.department, invitation.replacesOpenInvitation]),
		plan.changes.map((change) => [change.membershipId, change.role, change.department]),
		plan.newDepartments,
		plan.deactivateMissing ? plan.missing.map((member) => member.membershipId) : [],
	])
	return createHash('sha256').update(content).digest('hex')
}

/**
 * What importing `rows` would do to the organisation: invitations for addresses that are not
 * active members (a deactivated member comes back by accepting, as with a single invitation),
 * role and department changes for members, departments to create, and the members missing from
 * the file. An empty cell changes nothing. Inside a transaction pass its client.
 */
export async function planMemberImport(
	db: Db,
	{ organisationId, actorMembershipId, rows, deactivateMissing }: { organisationId: string; actorMembershipId: string; rows: ImportRow[]; deactivateMissing: boolean },
): Promise<ImportPlan> {
	const { memberships, departments, openInvitations } = await loadOrganisation(db, organisationId)
	const activeByEmail = new Map(memberships.filter((membership) => !membership.deactivatedAt).map((membership) => [membership.user.email, membership]))
	const departmentNameById = new Map(departments.map((department) => [department.id, department.name]))
	const departmentByKey = new Map(departments.map((department) => [departmentKey(department.name), department.name]))
	const invitedAlready = new Set(openInvitations.map((invitation) => invitation.email))

	// A department the file names in another case is the existing one; a new one keeps its first spelling.
	const newDepartments = new Map<string, string>()
	const resolveDepartment = (name: string) => {
		const key = departmentKey(name)
		const existing = departmentByKey.get(key) ?? newDepartments.get(key)
		if (existing) return existing
		newDepartments.set(key, name)
		return name
	}

	const invitations: PlannedInvitation[] = []
	const changes: PlannedChange[] = []
	let unchanged = 0
	for (const row of rows) {
		const department = row.department === null ? null : resolveDepartment(row.department)
		const member = activeByEmail.get(row.email)
		if (!member) {
			invitations.push({ line: row.line, email: row.email, name: row.name, role: row.role ?? 'LEARNER', department, replacesOpenInvitation: invitedAlready.has(row.email) })
			continue
		}
		const currentDepartment = member.departmentId ? (departmentNameById.get(member.departmentId) ?? null) : null
		const role = { from: member.role, to: row.role ?? member.role }
		const departmentChange = { from: currentDepartment, to: department ?? currentDepartment }
		if (role.from === role.to && departmentChange.from === departmentChange.to) {
			unchanged++
			continue
		}
		changes.push({ line: row.line, membershipId: member.id, userId: member.userId, email: row.email, name: member.user.name, role, department: departmentChange })
	}

	const inFile = new Set(rows.map((row) => row.email))
	const missing = [...activeByEmail.values()]
		.filter((member) => !inFile.has(member.user.email) && member.id !== actorMembershipId)
		.map((member) => ({ membershipId: member.id, userId: member.userId, email: member.user.email, name: member.user.name, role: member.role }))
		.sort((a, b) => a.email.localeCompare(b.email))

	const leavingAdmins = new Set([
		...changes.filter((change) => change.role.from === 'ADMIN' && change.role.to !== 'ADMIN').map((change) => change.membershipId),
		...(deactivateMissing ? missing.filter((member) => member.role === 'ADMIN').map((member) => member.membershipId) : []),
	])
	const activeAdminIds = [...activeByEmail.values()].filter((member) => member.role === 'ADMIN').map((member) => member.id)
	const problems = keepsAnAdmin(activeAdminIds, leavingAdmins) ? [] : [{ line: null, message: LAST_ADMIN_MESSAGE }]

	const plan = { invitations, changes, newDepartments: [...newDepartments.values()].sort(), missing, deactivateMissing, unchanged, problems }
	return { ...plan, fingerprint: fingerprintOf(plan) }
}

/** The plan as the preview page shows it: every count, the first entries of each list. */
export function previewOf(plan: ImportPlan) {
	const listed = <Item>(items: Item[]) => items.slice(0, IMPORT_LIMITS.listed)
	return {
		fingerprint: plan.fingerprint,
		deactivateMissing: plan.deactivateMissing,
		counts: {
			invitations: plan.invitations.length,
			changes: plan.changes.length,
			newDepartments: plan.newDepartments.length,
			missing: plan.missing.length,
			unchanged: plan.unchanged,
		},
		invitations: listed(plan.invitations).map(({ line, email, name, role, department, replacesOpenInvitation }) => ({ line, email, name, role, department, replacesOpenInvitation })),
		changes: listed(plan.changes).map(({ line, email, name, role, department }) => ({ line, email, name, role, department })),
		newDepartments: listed(plan.newDepartments),
		missing: listed(plan.missing).map(({ email, name, role }) => ({ email, name, role })),
		problems: plan.problems,
	}
}

export type ImportPreview = ReturnType<typeof previewOf>

/** What the import page shows after an upload: the problems by line, or the preview with the file's text to apply it. */
export type ImportReview = {
	/** Why the admin sees a preview again (the members changed since the last one), or null. */
	notice: string | null
	problems: ImportProblem[]
	problemCount: number
	ignoredColumns: string[]
	preview: ImportPreview | null
	/** Only when the plan can be applied. */
	csv: string | null
}

/** A file refused as it is: its first problems and how many there are. */
export const refusedReview = (problems: ImportProblem[]): ImportReview => ({
	notice: null,
	problems: problems.slice(0, IMPORT_LIMITS.listed),
	problemCount: problems.length,
	ignoredColumns: [],
	preview: null,
	csv: null,
})

/** A CSV text read and planned against the organisation, shaped for the page; it writes nothing. */
export async function reviewMemberImport({
	organisationId,
	actorMembershipId,
	text,
	deactivateMissing,
	notice = null,
}: {
	organisationId: string
	actorMembershipId: string
	text: string
	deactivateMissing: boolean
	notice?: string | null
}): Promise<ImportReview> {
	const reading = readMemberCsvText(text)
	if (!reading.ok) return refusedReview(reading.problems)
	const plan = await planMemberImport(prisma, { organisationId, actorMembershipId, rows: reading.rows, deactivateMissing })
	const { problems } = plan
	return { notice, problems, problemCount: problems.length, ignoredColumns: reading.ignoredColumns, preview: previewOf(plan), csv: problems.length ? null : text }
}

const newRecordId = () => randomBytes(12).toString('hex')

async function createDepartments(tx: Prisma.TransactionClient, organisationId: string, names: string[], createdAt: Date) {
	if (names.length) {
		await tx.$executeRaw`
			INSERT INTO "Department" ("id", "organisationId", "name", "createdAt")
			SELECT d."id", ${organisationId}, d."name", ${createdAt}::timestamp(3)
			FROM unnest(${names.map(newRecordId)}::text[], ${names}::text[]) AS d("id", "name")
			ON CONFLICT ("organisationId", "name") DO NOTHING`
	}
	const departments = await tx.department.findMany({ where: { organisationId }, select: { id: true, name: true } })
	return new Map(departments.map((department) => [department.name, department.id]))
}

/**
 * Memberships per UPDATE: the stored compliance state's triggers (decision 016) run for every
 * moved or deactivated member, so a statement of thousands could outlast DATABASE_STATEMENT_TIMEOUT_MS.
 */
const MEMBERS_PER_STATEMENT = 500

function* batchesOf<Item>(items: Item[]) {
	for (let start = 0; start < items.length; start += MEMBERS_PER_STATEMENT) yield items.slice(start, start + MEMBERS_PER_STATEMENT)
}

async function moveMembers(tx: Prisma.TransactionClient, organisationId: string, changes: PlannedChange[], departmentIds: Map<string, string>, at: Date) {
	const iso = (date: Date | null) => date?.toISOString() ?? null
	const departmentId = (name: string | null) => (name === null ? null : (departmentIds.get(name) ?? null))
	const moves = changes.map((change) => {
		const from = { role: change.role.from, departmentId: departmentId(change.department.from) }
		const to = { role: change.role.to, departmentId: departmentId(change.department.to) }
		return { id: change.membershipId, to, ...placementChange(from, to, at) }
	})
	for (const batch of batchesOf(moves)) {
		await tx.$executeRaw`
			UPDATE "Membership" AS m
			SET "role" = CAST(u."role" AS "Role"),
				"departmentId" = u."departmentId",
				"roleSince" = COALESCE(u."roleSince"::timestamp(3), m."roleSince"),
				"departmentSince" = COALESCE(u."departmentSince"::timestamp(3), m."departmentSince")
			FROM unnest(
				${batch.map((move) => move.id)}::text[],
				${batch.map((move) => move.to.role)}::text[],
				${batch.map((move) => move.to.departmentId)}::text[],
				${batch.map((move) => iso(move.roleSince))}::text[],
				${batch.map((move) => iso(move.departmentSince))}::text[]
			) AS u("id", "role", "departmentId", "roleSince", "departmentSince")
			WHERE m."id" = u."id" AND m."organisationId" = ${organisationId}`
	}
	const losingLimits = moves.filter((move) => move.dropsManagerDepartments).map((move) => move.id)
	if (losingLimits.length) await tx.$executeRaw`DELETE FROM "ManagerDepartment" WHERE "membershipId" = ANY(${losingLimits}::text[])`
}

async function deactivateMembers(tx: Prisma.TransactionClient, organisationId: string, membershipIds: string[], at: Date) {
	for (const batch of batchesOf(membershipIds)) {
		await tx.$executeRaw`
			UPDATE "Membership" SET "deactivatedAt" = ${at}::timestamp(3)
			WHERE "organisationId" = ${organisationId} AND "id" = ANY(${batch}::text[]) AND "deactivatedAt" IS NULL`
	}
}

/**
 * One invitation per address with the rules of a single one: a 7-day link whose token only the
 * link holds (its hash is stored), replacing any earlier open invitation to the address, and its
 * email queued in the outbox in this transaction. Returns the links, for an admin without mail.
 */
async function createInvitations(
	tx: Prisma.TransactionClient,
	{
		organisationId,
		actorId,
		invitations,
		departmentIds,
		origin,
		at,
	}: { organisationId: string; actorId: string; invitations: PlannedInvitation[]; departmentIds: Map<string, string>; origin: string; at: Date },
) {
	if (invitations.length === 0) return []
	const emails = invitations.map((invitation) => invitation.email)
	await tx.$executeRaw`
		UPDATE "Invitation" SET "revokedAt" = ${at}::timestamp(3)
		WHERE "organisationId" = ${organisationId} AND "acceptedAt" IS NULL AND "revokedAt" IS NULL AND "email" = ANY(${emails}::text[])`
	const created = invitations.map((invitation) => ({ ...invitation, id: newRecordId(), token: generateToken() }))
	const expiresAt = new Date(at.getTime() + INVITATION_LIFETIME_MS)
	await tx.$executeRaw`
		INSERT INTO "Invitation" ("id", "organisationId", "email", "role", "departmentId", "tokenHash", "expiresAt", "invitedById", "createdAt")
		SELECT i."id", ${organisationId}, i."email", CAST(i."role" AS "Role"), i."departmentId", i."tokenHash", ${expiresAt}::timestamp(3), ${actorId}, ${at}::timestamp(3)
		FROM unnest(
			${created.map((invitation) => invitation.id)}::text[],
			${emails}::text[],
			${created.map((invitation) => invitation.role)}::text[],
			${created.map((invitation) => (invitation.department === null ? null : (departmentIds.get(invitation.department) ?? null)))}::text[],
			${created.map((invitation) => hashToken(invitation.token))}::text[]
		) AS i("id", "email", "role", "departmentId", "tokenHash")`
	const [organisation, inviter] = await Promise.all([
		tx.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true } }),
		tx.user.findUniqueOrThrow({ where: { id: actorId }, select: { name: true } }),
	])
	const links = created.map((invitation) => ({ email: invitation.email, link: invitationUrl(origin, invitation.token) }))
	await queueEmails(
		tx,
		links.map(({ email, link }) => invitationEmail({ organisationId, organisationName: organisation.name, inviterName: inviter.name, actorId, email, link, expiresAt })),
		at,
	)
	return links
}

function auditEntries(organisationId: string, actorId: string, plan: ImportPlan): AuditEntry[] {
	const deactivated = plan.deactivateMissing ? plan.missing : []
	return [
		{
			organisationId,
			actorId,
			action: 'member.import_applied',
			details: { invited: plan.invitations.length, changed: plan.changes.length, deactivated: deactivated.length, newDepartments: plan.newDepartments.length },
		},
		...plan.newDepartments.map((name) => ({ organisationId, actorId, action: 'department.created' as const, targetLabel: name })),
		...plan.invitations.map((invitation) => ({
			organisationId,
			actorId,
			action: 'invitation.created' as const,
			targetLabel: invitation.email,
			details: { role: ROLE_LABELS[invitation.role] },
		})),
		...plan.changes.flatMap((change) =>
			placementAuditEvents(
				{ organisationId, actorId, targetUserId: change.userId, targetLabel: change.email },
				{ role: change.role.from, department: change.department.from },
				{ role: change.role.to, department: change.department.to },
			),
		),
		...deactivated.map((member) => ({ organisationId, actorId, action: 'member.deactivated' as const, targetUserId: member.userId, targetLabel: member.email })),
	]
}

/**
 * Applies the previewed CSV text in one transaction, or nothing: the organisation's memberships are locked,
 * the plan is made again and must have the fingerprint of the one previewed (else
 * ImportChangedError), then every change is written with one statement per kind and audited.
 * Returns the counts and the invitation links (already queued in the outbox with their emails).
 */
export async function applyMemberImport({
	organisationId,
	actorId,
	actorMembershipId,
	text,
	deactivateMissing,
	fingerprint,
	origin,
}: {
	organisationId: string
	actorId: string
	actorMembershipId: string
	text: string
	deactivateMissing: boolean
	fingerprint: string
	origin: string
}) {
	const reading = readMemberCsvText(text)
	if (!reading.ok) throw new MemberChangeError(IMPORT_PLAN_MESSAGES.altered)
	const { rows } = reading
	return prisma.$transaction(
		async (tx) => {
			// Members edited on the members page meanwhile wait for this import, or it for them.
			await tx.$queryRaw`SELECT count(*) FROM (SELECT 1 FROM "Membership" WHERE "organisationId" = ${organisationId} FOR UPDATE) AS locked`
			const plan = await planMemberImport(tx, { organisationId, actorMembershipId, rows, deactivateMissing })
			if (plan.fingerprint !== fingerprint) throw new ImportChangedError(IMPORT_PLAN_MESSAGES.changedSinceReview)
			const [problem] = plan.problems
			if (problem) throw new MemberChangeError(problem.message)

			const at = new Date()
			const departmentIds = await createDepartments(tx, organisationId, plan.newDepartments, at)
			await moveMembers(tx, organisationId, plan.changes, departmentIds, at)
			await deactivateMembers(tx, organisationId, deactivateMissing ? plan.missing.map((member) => member.membershipId) : [], at)
			const invited = await createInvitations(tx, { organisationId, actorId, invitations: plan.invitations, departmentIds, origin, at })
			await recordAuditEvents(tx, auditEntries(organisationId, actorId, plan))
			return {
				invited,
				changed: plan.changes.length,
				deactivated: deactivateMissing ? plan.missing.length : 0,
				newDepartments: plan.newDepartments.length,
			}
		},
		{ timeout: APPLY_TIMEOUT_MS },
	)
}
