import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { IMPORT_PLAN_MESSAGES } from '#app/modules/organisations/member-import.server.ts'
import { IMPORT_MESSAGES } from '#app/modules/organisations/member-import.ts'
import { CSV_MESSAGES } from '#app/modules/organisations/member-import-csv.server.ts'
import { LAST_ADMIN_MESSAGE, updateMember } from '#app/modules/organisations/members.server.ts'
import { SECRET_LINK, SECRET_LINK_PURPOSE } from '#app/modules/mail/outbox.server.ts'
import { acceptInvitationWithNewAccount } from '#app/modules/organisations/invitations.server.ts'
import { action, loader } from '#app/routes/org.$slug.members_.import.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { decryptSecret } from '#app/utils/encryption.server.ts'
import {
	addMember,
	createDepartment,
	createOrganisationWithAdmin,
	createSessionCookie,
	createUser,
	expectData,
	expectThrownStatus,
	getRequest,
	randomId,
	routeContext,
	uniqueEmail,
} from '#tests/fixtures/users.ts'

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

/** A multipart POST as the import page's forms send it. */
function multipartPost(slug: string, fields: Record<string, string | File>, cookie: string) {
	const body = new FormData()
	for (const [name, value] of Object.entries(fields)) body.append(name, value)
	return action({ request: new Request(`http://localhost/org/${slug}/members/import`, { method: 'POST', body, headers: { Cookie: cookie } }), params: { slug }, context: routeContext() })
}

const csvFile = (content: string | Uint8Array<ArrayBuffer>, name = 'members.csv') => new File([content], name, { type: 'text/csv' })

async function preview(slug: string, cookie: string, content: string | Uint8Array<ArrayBuffer>, { deactivateMissing = false } = {}) {
	return multipartPost(slug, { intent: 'preview', file: csvFile(content), ...(deactivateMissing ? { deactivateMissing: 'on' } : {}) }, cookie)
}

/** The review an upload answered with 200 (a preview that can be applied). */
async function previewed(slug: string, cookie: string, content: string, options?: { deactivateMissing?: boolean }) {
	const { review } = expectData(await preview(slug, cookie, content, options), 200).data
	if (!review?.preview || !review.csv) throw new Error(`Expected a preview, got ${JSON.stringify(review)}`)
	return review as { csv: string; preview: { fingerprint: string; deactivateMissing: boolean; counts: Record<string, number>; [key: string]: unknown } }
}

/** Applies a preview and returns what the page shows without mail: the counts and the links, once. */
async function applied(slug: string, cookie: string, review: { csv: string; preview: { fingerprint: string; deactivateMissing: boolean } }) {
	const { applied } = expectData(await apply(slug, cookie, review), 200).data
	if (!applied) throw new Error('Expected the import to be applied')
	return applied as { invited: number; changed: number; deactivated: number; links: Array<{ email: string; link: string }> }
}

function apply(slug: string, cookie: string, review: { csv: string; preview: { fingerprint: string; deactivateMissing: boolean } }) {
	return multipartPost(
		slug,
		{ intent: 'apply', csv: review.csv, fingerprint: review.preview.fingerprint, deactivateMissing: String(review.preview.deactivateMissing) },
		cookie,
	)
}

/** An organisation with an admin, two departments and three members, for a file to be imported into. */
async function organisationFixture() {
	const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'import' })
	const { cookie } = await createSessionCookie(admin.id)
	const sales = await createDepartment(organisation.id, 'Sales')
	const it = await createDepartment(organisation.id, 'IT')
	const manager = await addMember(organisation.id, { role: 'MANAGER', departmentId: sales.id })
	await prisma.managerDepartment.create({ data: { membershipId: manager.membership.id, departmentId: sales.id } })
	const learner = await addMember(organisation.id, { role: 'LEARNER', departmentId: it.id })
	const leaver = await addMember(organisation.id, { role: 'LEARNER' })
	const adminMembership = await prisma.membership.findFirstOrThrow({ where: { organisationId: organisation.id, userId: admin.id }, select: { id: true } })
	return { organisation, admin, adminMembership, cookie, sales, it, manager, learner, leaver }
}

/** Everything an import can change in an organisation, to show that a refused one changed nothing. */
async function stateOf(organisationId: string) {
	const [memberships, departments, invitations, auditEvents, managerDepartments] = await Promise.all([
		prisma.membership.findMany({ where: { organisationId }, orderBy: { id: 'asc' } }),
		prisma.department.findMany({ where: { organisationId }, orderBy: { id: 'asc' } }),
		prisma.invitation.findMany({ where: { organisationId }, orderBy: { id: 'asc' } }),
		prisma.auditEvent.count({ where: { organisationId } }),
		prisma.managerDepartment.count({ where: { membership: { organisationId } } }),
	])
	return { memberships, departments, invitations, auditEvents, managerDepartments }
}

describe('member CSV import: preview', () => {
	test('shows who is invited, whose role or department changes, new departments and who is missing; it changes nothing', async () => {
		const { organisation, cookie, admin, manager, learner, leaver } = await organisationFixture()
		const newcomer = uniqueEmail('newcomer')
		const before = await stateOf(organisation.id)
		const csv = [
			'\uFEFFE-Mail;Name;Abteilung;Rolle',
			`${admin.email};;;`,
			`${manager.user.email};;sales;Lernende(r)`,
			`${learner.user.email.toUpperCase()};;Marketing;`,
			`${newcomer};Neu Ling;Marketing;Führungskraft`,
		].join('\r\n')

		const review = await previewed(organisation.slug, cookie, csv)

		expect(review.preview).toMatchObject({
			counts: { invitations: 1, changes: 2, newDepartments: 1, missing: 1, unchanged: 1 },
			invitations: [{ line: 5, email: newcomer, name: 'Neu Ling', role: 'MANAGER', department: 'Marketing', replacesOpenInvitation: false }],
			changes: [
				{ line: 3, email: manager.user.email, role: { from: 'MANAGER', to: 'LEARNER' }, department: { from: 'Sales', to: 'Sales' } },
				{ line: 4, email: learner.user.email, role: { from: 'LEARNER', to: 'LEARNER' }, department: { from: 'IT', to: 'Marketing' } },
			],
			newDepartments: ['Marketing'],
			missing: [{ email: leaver.user.email, role: 'LEARNER' }],
			deactivateMissing: false,
		})
		expect(await stateOf(organisation.id)).toEqual(before)
	})

	test('a file with wrong lines lists each by its number and cannot be applied', async () => {
		const { organisation, cookie } = await organisationFixture()
		const result = expectData(await preview(organisation.slug, cookie, `email,name,role\nok@example.com,Ok,Learner\nnot-an-address,Bad,Learner\nok@example.com,Twice,\nx@example.com,=1+1,Chef\n`), 400)
		expect(result.data.review).toMatchObject({
			preview: null,
			csv: null,
			problemCount: 3,
			problems: [
				{ line: 3, message: 'Enter a valid email address, like name@example.com' },
				{ line: 4, message: IMPORT_MESSAGES.duplicate(2) },
				{ line: 5, message: IMPORT_MESSAGES.formula('=1+1') },
			],
		})
	})

	test('a file that is not UTF-8 gets a readable refusal', async () => {
		const { organisation, cookie } = await organisationFixture()
		const latin1 = Uint8Array.from([...new TextEncoder().encode('email;name\nj@example.de;J'), 0xfc, ...new TextEncoder().encode('rgen\n')])
		const result = expectData(await preview(organisation.slug, cookie, latin1), 400)
		expect(result.data.review.problems).toEqual([{ line: null, message: CSV_MESSAGES.notUtf8 }])
	})

	test('no file chosen is an error beside the file field', async () => {
		const { organisation, cookie } = await organisationFixture()
		const result = expectData(await multipartPost(organisation.slug, { intent: 'preview' }, cookie), 400)
		expect(result.data.result.error).toEqual({ file: ['Choose a CSV file'] })
	})

	test('only admins of this organisation: a manager gets 403, an admin of another organisation 404', async () => {
		const { organisation, manager } = await organisationFixture()
		const { cookie: managerCookie } = await createSessionCookie(manager.user.id)
		await expectThrownStatus(loader({ request: getRequest(`/org/${organisation.slug}/members/import`, { cookie: managerCookie }), params: { slug: organisation.slug }, context: routeContext() }), 403)
		await expectThrownStatus(preview(organisation.slug, managerCookie, 'email\na@example.com\n'), 403)
		const other = await createOrganisationWithAdmin({ prefix: 'other' })
		const { cookie: otherCookie } = await createSessionCookie(other.admin.id)
		await expectThrownStatus(preview(organisation.slug, otherCookie, 'email\na@example.com\n'), 404)
	})
})

describe('member CSV import: apply', () => {
	test('invites, updates and deactivates in one go, by the same rules as single changes, audited', async () => {
		const { organisation, admin, cookie, sales, manager, learner, leaver } = await organisationFixture()
		const newcomer = uniqueEmail('newcomer')
		const reinvited = uniqueEmail('reinvited')
		const earlier = await prisma.invitation.create({
			data: { organisationId: organisation.id, email: reinvited, tokenHash: sha256(randomId()), expiresAt: new Date(Date.now() + 86_400_000), invitedById: admin.id },
			select: { id: true },
		})
		const [managerBefore, learnerBefore] = await Promise.all(
			[manager, learner].map(({ membership }) => prisma.membership.findUniqueOrThrow({ where: { id: membership.id }, select: { roleSince: true, departmentSince: true } })),
		)
		const csv = [
			'email,name,department,role',
			`${admin.email},,,Admin`,
			`${manager.user.email},,Sales,Learner`,
			`${learner.user.email},,Marketing,`,
			`${newcomer},New Comer,Marketing,Manager`,
			`${reinvited},,,`,
		].join('\n')
		const review = await previewed(organisation.slug, cookie, csv, { deactivateMissing: true })
		expect(review.preview.counts).toMatchObject({ invitations: 2, changes: 2, newDepartments: 1, missing: 1 })

		const result = await applied(organisation.slug, cookie, review)
		expect(result).toMatchObject({ invited: 2, changed: 2, deactivated: 1 })
		expect(result.links.map(({ email }) => email).sort()).toEqual([newcomer, reinvited].sort())

		const marketing = await prisma.department.findFirstOrThrow({ where: { organisationId: organisation.id, name: 'Marketing' }, select: { id: true } })
		const managerAfter = await prisma.membership.findUniqueOrThrow({
			where: { id: manager.membership.id },
			select: { role: true, departmentId: true, roleSince: true, departmentSince: true, managedDepartments: { select: { departmentId: true } } },
		})
		// No longer a manager: the department limit goes, the role's start moves, the department's does not.
		expect(managerAfter).toMatchObject({ role: 'LEARNER', departmentId: sales.id, managedDepartments: [], departmentSince: managerBefore!.departmentSince })
		expect(managerAfter.roleSince.getTime()).toBeGreaterThan(managerBefore!.roleSince.getTime())
		const learnerAfter = await prisma.membership.findUniqueOrThrow({ where: { id: learner.membership.id }, select: { departmentId: true, roleSince: true, departmentSince: true } })
		expect(learnerAfter).toMatchObject({ departmentId: marketing.id, roleSince: learnerBefore!.roleSince })
		expect(learnerAfter.departmentSince.getTime()).toBeGreaterThan(learnerBefore!.departmentSince.getTime())
		expect((await prisma.membership.findUniqueOrThrow({ where: { id: leaver.membership.id }, select: { deactivatedAt: true } })).deactivatedAt).not.toBeNull()

		const invitations = await prisma.invitation.findMany({
			where: { organisationId: organisation.id, email: { in: [newcomer, reinvited] }, revokedAt: null },
			select: { email: true, role: true, departmentId: true, tokenHash: true, expiresAt: true, invitedById: true, createdAt: true },
			orderBy: { email: 'asc' },
		})
		expect(invitations.map(({ email, role, departmentId }) => ({ email, role, departmentId }))).toEqual(
			[
				{ email: newcomer, role: 'MANAGER', departmentId: marketing.id },
				{ email: reinvited, role: 'LEARNER', departmentId: null },
			].sort((a, b) => a.email.localeCompare(b.email)),
		)
		for (const invitation of invitations) {
			expect(invitation.tokenHash).toMatch(/^[0-9a-f]{64}$/)
			expect(invitation.invitedById).toBe(admin.id)
			expect(invitation.expiresAt.getTime() - invitation.createdAt.getTime()).toBe(7 * 24 * 60 * 60 * 1000)
		}
		// The earlier open invitation to the same address is replaced, as a single invitation replaces it.
		expect((await prisma.invitation.findUniqueOrThrow({ where: { id: earlier.id }, select: { revokedAt: true } })).revokedAt).not.toBeNull()

		const events = await prisma.auditEvent.findMany({ where: { organisationId: organisation.id, actorId: admin.id }, select: { action: true, targetLabel: true, details: true } })
		expect(events).toEqual(
			expect.arrayContaining([
				{ action: 'member.import_applied', targetLabel: null, details: { invited: 2, changed: 2, deactivated: 1, newDepartments: 1 } },
				{ action: 'department.created', targetLabel: 'Marketing', details: null },
				{ action: 'invitation.created', targetLabel: newcomer, details: { role: 'Manager' } },
				{ action: 'invitation.created', targetLabel: reinvited, details: { role: 'Learner' } },
				{ action: 'member.role_changed', targetLabel: manager.user.email, details: { from: 'Manager', to: 'Learner' } },
				{ action: 'member.department_changed', targetLabel: learner.user.email, details: { from: 'IT', to: 'Marketing' } },
				{ action: 'member.deactivated', targetLabel: leaver.user.email, details: null },
			]),
		)
	})

	test('members missing from the file stay active unless the admin ticked the box', async () => {
		const { organisation, cookie, leaver, admin } = await organisationFixture()
		const review = await previewed(organisation.slug, cookie, `email\n${admin.email}\n${uniqueEmail('new')}\n`)
		expect(review.preview.counts.missing).toBe(3)
		await applied(organisation.slug, cookie, review)
		expect(await prisma.membership.count({ where: { organisationId: organisation.id, deactivatedAt: { not: null } } })).toBe(0)
		expect((await prisma.membership.findUniqueOrThrow({ where: { id: leaver.membership.id }, select: { deactivatedAt: true } })).deactivatedAt).toBeNull()
	})

	test('the importing admin is never deactivated, and the last admin cannot be demoted', async () => {
		const { organisation, admin, cookie } = await organisationFixture()
		const leavesNoAdmin = await preview(organisation.slug, cookie, `email,role\n${admin.email},Learner\n`)
		const { review } = expectData(leavesNoAdmin, 400).data
		expect(review).toMatchObject({ problems: [{ line: null, message: LAST_ADMIN_MESSAGE }], csv: null })

		const review2 = await previewed(organisation.slug, cookie, `email\n${uniqueEmail('only')}\n`, { deactivateMissing: true })
		expect(review2.preview.missing).not.toContainEqual(expect.objectContaining({ email: admin.email }))
	})

	test('when the members changed after the preview, applying answers 409 with a fresh preview and changes nothing', async () => {
		const { organisation, admin, cookie, learner, sales } = await organisationFixture()
		const review = await previewed(organisation.slug, cookie, `email,department\n${learner.user.email},Marketing\n${uniqueEmail('new')},\n`)
		// Someone moves the member on the members page meanwhile.
		await updateMember({ organisationId: organisation.id, actorId: admin.id, membershipId: learner.membership.id, role: 'MANAGER', departmentId: sales.id })
		const before = await stateOf(organisation.id)

		const result = expectData(await apply(organisation.slug, cookie, review), 409)

		expect(result.data.review.notice).toBe(IMPORT_PLAN_MESSAGES.changedSinceReview)
		expect(result.data.review.preview.changes).toEqual([
			expect.objectContaining({ email: learner.user.email, role: { from: 'MANAGER', to: 'MANAGER' }, department: { from: 'Sales', to: 'Marketing' } }),
		])
		expect(result.data.review.preview.fingerprint).not.toBe(review.preview.fingerprint)
		expect(await stateOf(organisation.id)).toEqual(before)
	})

	test('a file changed in the browser after its preview is refused: the fingerprint is of the plan, not of the text sent', async () => {
		const { organisation, cookie } = await organisationFixture()
		const review = await previewed(organisation.slug, cookie, `email\n${uniqueEmail('a')}\n`)
		const before = await stateOf(organisation.id)
		expectData(await apply(organisation.slug, cookie, { ...review, csv: `${review.csv}${uniqueEmail('smuggled')}\n` }), 409)
		expectData(await apply(organisation.slug, cookie, { ...review, preview: { ...review.preview, deactivateMissing: true } }), 409)
		const broken = expectData(await apply(organisation.slug, cookie, { ...review, csv: 'email\n=cmd\n' }), 400)
		expect(broken.data.result.error).toEqual({ '': [IMPORT_PLAN_MESSAGES.altered] })
		expect(await stateOf(organisation.id)).toEqual(before)
	})

	test('each invitation’s email waits in the outbox with its link encrypted; accepting it joins with the role and department from the file', async () => {
		const { organisation, cookie, admin } = await organisationFixture()
		const email = uniqueEmail('joiner')
		const { links } = await applied(organisation.slug, cookie, await previewed(organisation.slug, cookie, `E-Mail;Abteilung;Rolle\n${email};Vertrieb;Führungskraft\n`))
		const [{ link }] = links as [{ email: string; link: string }]

		const message = await prisma.outboxMessage.findFirstOrThrow({
			where: { organisationId: organisation.id, to: email },
			select: { kind: true, text: true, secretLink: true, createdById: true, deliveredAt: true },
		})
		expect(message).toMatchObject({ kind: 'INVITATION', createdById: admin.id, deliveredAt: null })
		expect(message.text).toContain(SECRET_LINK)
		expect(message.text).not.toContain(link)
		expect(decryptSecret(message.secretLink!, SECRET_LINK_PURPOSE)).toBe(link)

		const token = link.split('/invitations/')[1]!
		const { userId } = await acceptInvitationWithNewAccount({ token, name: 'Joiner', password: 'marble otters collect rusty compasses' })
		const membership = await prisma.membership.findFirstOrThrow({ where: { organisationId: organisation.id, userId }, select: { role: true, department: { select: { name: true } } } })
		expect(membership).toEqual({ role: 'MANAGER', department: { name: 'Vertrieb' } })
	})

	test('an address with an account is invited, not added behind its back', async () => {
		const { organisation, cookie } = await organisationFixture()
		const existing = await createUser({ prefix: 'existing' })
		expect((await applied(organisation.slug, cookie, await previewed(organisation.slug, cookie, `email\n${existing.email}\n`))).invited).toBe(1)
		expect(await prisma.membership.count({ where: { organisationId: organisation.id, userId: existing.id } })).toBe(0)
	})
})
