import path from 'node:path'
import { UNSAFE_flatRoutes, type UNSAFE_RouteManifest } from '@remix-run/dev'
import { matchRoutes } from '@remix-run/react'
import { beforeAll, describe, expect, test } from 'vitest'
import { getComplianceOverview } from '#app/modules/compliance/overview.server.ts'
import { issueStatement } from '#app/modules/compliance/statements.server.ts'
import { action as statementsAction, loader as statementsLoader } from '#app/routes/org.$slug.compliance_.statements.tsx'
import { loader as pageLoader } from '#app/routes/org.$slug.compliance_.statements_.$code.tsx'
import { loader as pdfLoader } from '#app/routes/org.$slug.compliance_.statements_.$code[.pdf].ts'
import { loader as verifyCertificateLoader } from '#app/routes/verify.$code.tsx'
import { loader as verifyStatementLoader } from '#app/routes/verify.statement.$code.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { ALTERED_FORM_MESSAGE } from '#app/utils/form-submission.server.ts'
import { formatDate } from '#app/utils/format-date.ts'
import { CODES_THAT_MATCH_NOTHING } from '#tests/fixtures/codes.ts'
import { certificateCodeFrom, FREE_COURSE, formPost, MEMBERS_COURSE, passCourse } from '#tests/fixtures/learning.ts'
import { expectPdfAttachment } from '#tests/fixtures/pdf.ts'
import {
	addMember,
	createDepartment,
	createOrganisationWithAdmin,
	createSessionCookie,
	expectData,
	expectRedirect,
	expectThrownStatus,
	getRequest,
	routeContext,
	type TestUser,
} from '#tests/fixtures/users.ts'

const DAY = 24 * 60 * 60 * 1000
const statementsUrl = (slug: string) => `/org/${slug}/compliance/statements`

const listStatementsAs = (slug: string, cookie: string) =>
	statementsLoader({ request: getRequest(statementsUrl(slug), { cookie }), params: { slug }, context: routeContext() })
const issueAs = (slug: string, cookie: string, fields: [string, string][] = [['intent', 'issue']]) =>
	statementsAction({ request: formPost(statementsUrl(slug), fields, { cookie }), params: { slug }, context: routeContext() })
const openStatement = (slug: string, code: string, cookie: string) =>
	pageLoader({ request: getRequest(`${statementsUrl(slug)}/${code}`, { cookie }), params: { slug, code }, context: routeContext() })
const downloadStatement = (slug: string, code: string, cookie: string) =>
	pdfLoader({ request: getRequest(`${statementsUrl(slug)}/${code}.pdf`, { cookie }), params: { slug, code }, context: routeContext() })
const verifyStatement = (code: string) =>
	verifyStatementLoader({ request: getRequest(`/verify/statement/${code}`), params: { code }, context: routeContext() })

/** Every statements URL of the organisation, as this cookie's holder would open them. */
const everyStatementsUrl = (slug: string, code: string, cookie: string) => [
	() => listStatementsAs(slug, cookie),
	() => issueAs(slug, cookie),
	() => openStatement(slug, code, cookie),
	() => downloadStatement(slug, code, cookie),
]

async function signedIn(user: TestUser) {
	return (await createSessionCookie(user.id)).cookie
}

/**
 * An organisation whose admin has no department, with learners in Sales and without one;
 * required: the free course of everyone, the members' course of Sales, and a paused requirement.
 */
async function organisationWithRequirements(prefix: string) {
	const { organisation, admin } = await createOrganisationWithAdmin({ prefix })
	const sales = await createDepartment(organisation.id, 'Sales')
	await prisma.trainingRequirement.create({ data: { organisationId: organisation.id, courseSlug: FREE_COURSE, audience: 'EVERYONE', dueWithinDays: 30, recurrenceMonths: 12 }, select: { id: true } })
	await prisma.trainingRequirement.create({
		data: { organisationId: organisation.id, courseSlug: MEMBERS_COURSE, audience: 'DEPARTMENTS', dueWithinDays: 30, departments: { create: [{ departmentId: sales.id }] } },
		select: { id: true },
	})
	await prisma.trainingRequirement.create({
		data: { organisationId: organisation.id, courseSlug: 'retired-course', audience: 'EVERYONE', dueWithinDays: 30, pausedAt: new Date() },
		select: { id: true },
	})
	const salesLearner = await addMember(organisation.id, { departmentId: sales.id })
	const learner = await addMember(organisation.id)
	return {
		organisation,
		sales,
		admin: { user: admin, cookie: await signedIn(admin) },
		salesLearner: { user: salesLearner.user, cookie: await signedIn(salesLearner.user) },
		learner: { user: learner.user, cookie: await signedIn(learner.user) },
	}
}

/** The code at the end of the redirect to a statement's printable page. */
function statementCodeFrom(result: unknown, slug: string) {
	const location = expectRedirect(result).headers.get('Location') ?? ''
	const code = new RegExp(`^/org/${slug}/compliance/statements/([0-9A-Z-]+)$`).exec(location)?.[1]
	if (!code) throw new Error(`Expected a redirect to a statement, got ${location}`)
	return code
}

/** The figures as the statement showed them before the later completions. */
const FIGURES_AT_ISSUE = {
	members: 3,
	compliant: 1,
	percentCompliant: 33,
	requirements: [
		{ courseTitle: 'Demo course', audience: 'Everyone', members: 3, compliant: 1, percentCompliant: 33 },
		{ courseTitle: 'Members course', audience: 'Sales', members: 1, compliant: 0, percentCompliant: 0 },
	],
}

describe('issuing a statement', () => {
	let org: Awaited<ReturnType<typeof organisationWithRequirements>>
	let code: string

	beforeAll(async () => {
		org = await organisationWithRequirements('statement')
		// One of three members meets every requirement that applies to them.
		certificateCodeFrom(await passCourse(org.learner.cookie, FREE_COURSE))
		code = statementCodeFrom(await issueAs(org.organisation.slug, org.admin.cookie), org.organisation.slug)
	})

	test('stores the whole organisation’s figures per active requirement, and audit-logs it', async () => {
		const page = await openStatement(org.organisation.slug, code, org.admin.cookie)
		expect(page.statement).toMatchObject({ code, organisationName: org.organisation.name, ...FIGURES_AT_ISSUE })
		expect(page.verifyUrl).toBe(`http://localhost/verify/statement/${code}`)
		const stored = await prisma.complianceStatement.findUniqueOrThrow({ where: { code }, select: { organisationId: true, issuedById: true, members: true, compliant: true } })
		expect(stored).toEqual({ organisationId: org.organisation.id, issuedById: org.admin.user.id, members: 3, compliant: 1 })
		const events = await prisma.auditEvent.findMany({ where: { organisationId: org.organisation.id, action: 'compliance.statement_issued' }, select: { actorId: true, targetLabel: true } })
		expect(events).toEqual([{ actorId: org.admin.user.id, targetLabel: `Statement ${code}` }])
	})

	test('the list shows it with its date, percentage and code', async () => {
		const { statements } = await listStatementsAs(org.organisation.slug, org.admin.cookie)
		expect(statements).toEqual([{ code, issuedAt: expect.any(Date), members: 3, compliant: 1, percentCompliant: 33 }])
	})

	test('freezes the figures: later completions change the dashboard but not the statement', async () => {
		const scope = { organisationId: org.organisation.id, departmentIds: null }
		expect((await getComplianceOverview(scope)).tiles).toMatchObject({ members: 3, percentCompliant: 33 })

		certificateCodeFrom(await passCourse(org.salesLearner.cookie, FREE_COURSE))
		certificateCodeFrom(await passCourse(org.salesLearner.cookie, MEMBERS_COURSE))
		await prisma.organisation.update({ where: { id: org.organisation.id }, data: { name: `${org.organisation.name} renamed` }, select: { id: true } })

		const overview = await getComplianceOverview(scope)
		expect(overview.tiles).toMatchObject({ members: 3, percentCompliant: 66 })
		expect(overview.byRequirement.map((requirement) => requirement.counts.COMPLIANT + requirement.counts.EXPIRING)).toEqual([2, 1])

		const page = await openStatement(org.organisation.slug, code, org.admin.cookie)
		expect(page.statement).toMatchObject({ organisationName: org.organisation.name, ...FIGURES_AT_ISSUE })
		expect(await verifyStatement(code)).toEqual({ statement: page.statement })

		// A statement issued now has the new figures; the first keeps its own.
		const second = statementCodeFrom(await issueAs(org.organisation.slug, org.admin.cookie), org.organisation.slug)
		expect((await openStatement(org.organisation.slug, second, org.admin.cookie)).statement).toMatchObject({
			organisationName: `${org.organisation.name} renamed`,
			members: 3,
			compliant: 2,
			percentCompliant: 66,
			requirements: [
				{ courseTitle: 'Demo course', members: 3, compliant: 2, percentCompliant: 66 },
				{ courseTitle: 'Members course', members: 1, compliant: 1, percentCompliant: 100 },
			],
		})
		expect((await listStatementsAs(org.organisation.slug, org.admin.cookie)).statements.map((statement) => statement.code)).toEqual([second, code])
	})

	test('the public verification page shows the same figures as the statement, and nothing more', async () => {
		const page = await openStatement(org.organisation.slug, code, org.admin.cookie)
		const shown = await verifyStatement(code)
		expect(shown).toEqual({ statement: page.statement })
		expect(Object.keys(shown.statement).sort()).toEqual(['code', 'compliant', 'issuedAt', 'members', 'organisationName', 'percentCompliant', 'requirements'])
		expect((await verifyStatement(code.toLowerCase())).statement.code).toBe(code)
		expect((await verifyStatement(`  ${code.replace(/0/g, 'O').replace(/1/g, 'l')} `)).statement.code).toBe(code)
	})

	test('the PDF download is a PDF of the statement as issued, never cached', async () => {
		const pdf = await expectPdfAttachment(await downloadStatement(org.organisation.slug, code, org.admin.cookie), `bulwark-statement-${code}.pdf`)
		const { issuedAt } = await prisma.complianceStatement.findUniqueOrThrow({ where: { code }, select: { issuedAt: true } })
		expect(pdf.getTitle()).toBe(`Training compliance statement: ${org.organisation.name}, ${formatDate(issuedAt)}`)
		expect(pdf.getSubject()).toBe(`${org.organisation.name}: 33 % of members compliant as of ${formatDate(issuedAt)}`)
	})
})

describe('the figures are as of the moment of issue', () => {
	test('issued at a later moment, an expired completion no longer counts', async () => {
		const org = await organisationWithRequirements('statement-at')
		certificateCodeFrom(await passCourse(org.learner.cookie, FREE_COURSE))
		const at = new Date(Date.now() + 400 * DAY)
		const statement = await issueStatement({ organisationId: org.organisation.id, actorId: org.admin.user.id, at })
		expect(statement).toMatchObject({ issuedAt: at, members: 3, compliant: 0, percentCompliant: 0 })
		expect(statement.requirements.map((requirement) => requirement.compliant)).toEqual([0, 0])
	})

	test('an organisation without requirements: its admin is counted and compliant, no requirement lines, the PDF renders', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'statement-empty' })
		const statement = await issueStatement({ organisationId: organisation.id, actorId: admin.id, at: new Date() })
		expect(statement.requirements).toEqual([])
		expect(statement).toMatchObject({ members: 1, compliant: 1, percentCompliant: 100 })
		const pdf = await expectPdfAttachment(await downloadStatement(organisation.slug, statement.code, await signedIn(admin)), `bulwark-statement-${statement.code}.pdf`)
		expect(pdf.getPageCount()).toBe(1)
	})
})

describe('the PDF layout', () => {
	test('a statement with many requirements continues on further PDF pages, long titles cut to their column', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'statement-long' })
		await prisma.trainingRequirement.createMany({
			data: Array.from({ length: 40 }, (_, index) => ({
				organisationId: organisation.id,
				courseSlug: `a-course-whose-title-is-far-too-long-for-its-column-in-the-statement-${index}`,
				audience: 'EVERYONE' as const,
				dueWithinDays: 30,
			})),
		})
		const statement = await issueStatement({ organisationId: organisation.id, actorId: admin.id, at: new Date() })
		expect(statement.requirements).toHaveLength(40)
		const pdf = await expectPdfAttachment(await downloadStatement(organisation.slug, statement.code, await signedIn(admin)), `bulwark-statement-${statement.code}.pdf`)
		expect(pdf.getPageCount()).toBe(2)
	})
})

describe('who may issue and read statements', () => {
	let org: Awaited<ReturnType<typeof organisationWithRequirements>>
	let code: string

	beforeAll(async () => {
		org = await organisationWithRequirements('statement-access')
		code = (await issueStatement({ organisationId: org.organisation.id, actorId: org.admin.user.id, at: new Date() })).code
	})

	test('a manager of the whole organisation issues and reads them', async () => {
		const manager = await addMember(org.organisation.id, { role: 'MANAGER' })
		const cookie = await signedIn(manager.user)
		const issued = statementCodeFrom(await issueAs(org.organisation.slug, cookie), org.organisation.slug)
		expect((await openStatement(org.organisation.slug, issued, cookie)).statement.members).toBe(4)
		expect((await listStatementsAs(org.organisation.slug, cookie)).statements.map((statement) => statement.code)).toContain(code)
	})

	test('a learner gets 403 on every statements URL', async () => {
		for (const open of everyStatementsUrl(org.organisation.slug, code, org.learner.cookie)) {
			expect((await expectThrownStatus(open(), 403)).data).toEqual({ message: 'Compliance is for the organisation’s managers and admins.' })
		}
	})

	test('a manager limited to departments gets 403 saying a statement covers the whole organisation, and issues nothing', async () => {
		const manager = await addMember(org.organisation.id, { role: 'MANAGER', departmentId: org.sales.id })
		await prisma.managerDepartment.create({ data: { membershipId: manager.membership.id, departmentId: org.sales.id } })
		const cookie = await signedIn(manager.user)
		const before = await prisma.complianceStatement.count({ where: { organisationId: org.organisation.id } })
		for (const open of everyStatementsUrl(org.organisation.slug, code, cookie)) {
			const refused = await expectThrownStatus(open(), 403)
			expect(refused.data.message).toMatch(/covers the whole organisation/)
		}
		expect(await prisma.complianceStatement.count({ where: { organisationId: org.organisation.id } })).toBe(before)
	})

	test('another organisation’s admin gets 404 on every statements URL, even with a valid code', async () => {
		const other = await createOrganisationWithAdmin({ prefix: 'statement-other' })
		const cookie = await signedIn(other.admin)
		for (const open of everyStatementsUrl(org.organisation.slug, code, cookie)) {
			expect((await expectThrownStatus(open(), 404)).data).toEqual({ message: 'We could not find that organisation among yours.' })
		}
		// Under their own organisation's address, the other organisation's code is unknown.
		for (const load of [openStatement, downloadStatement]) {
			expect((await expectThrownStatus(load(other.organisation.slug, code, cookie), 404)).data).toEqual({
				message: 'We could not find that statement among this organisation’s.',
			})
		}
		expect(await prisma.complianceStatement.count({ where: { organisationId: other.organisation.id } })).toBe(0)
	})

	test('a form without the issue intent is refused with 400 and a message', async () => {
		const before = await prisma.complianceStatement.count({ where: { organisationId: org.organisation.id } })
		for (const fields of [[], [['intent', 'delete']]] as [string, string][][]) {
			const refused = await expectThrownStatus(issueAs(org.organisation.slug, org.admin.cookie, fields), 400)
			expect(refused.data).toEqual({ message: ALTERED_FORM_MESSAGE })
		}
		expect(await prisma.complianceStatement.count({ where: { organisationId: org.organisation.id } })).toBe(before)
	})

	test.each(CODES_THAT_MATCH_NOTHING)('%s answers 404 on the page, the PDF and the public check', async (_label, makeCode) => {
		const unknown = makeCode()
		for (const load of [openStatement, downloadStatement]) {
			expect((await expectThrownStatus(load(org.organisation.slug, unknown, org.admin.cookie), 404)).data).toEqual({
				message: 'We could not find that statement among this organisation’s.',
			})
		}
		expect((await expectThrownStatus(verifyStatement(unknown), 404)).data).toEqual({
			message: 'There is no compliance statement with this code. Check the code for typing mistakes.',
		})
	})
})

describe('/verify/statement/<code> beside /verify/<code>', () => {
	const manifest: UNSAFE_RouteManifest = UNSAFE_flatRoutes(path.resolve('app'), ['**/*.test.{ts,tsx}', '**/.*'], 'routes')
	type Routes = Parameters<typeof matchRoutes>[0]
	const childrenOf = (parentId: string): Routes =>
		Object.values(manifest)
			.filter((route) => route.parentId === parentId)
			.map((route) => (route.index ? { id: route.id, path: route.path, index: true } : { id: route.id, path: route.path, children: childrenOf(route.id) }))
	const routeFor = (pathname: string) => matchRoutes(childrenOf('root'), pathname)?.map((match) => match.route.id)

	test('each URL reaches its own route, and statements pages sit in the organisation layout only', () => {
		expect(routeFor('/verify/statement/7K2M-9QXD-F4ZB-H8RT-C3NW')).toEqual(['routes/verify.statement.$code'])
		expect(routeFor('/verify/7K2M-9QXD-F4ZB-H8RT-C3NW')).toEqual(['routes/verify.$code'])
		expect(routeFor('/org/acme/compliance/statements')).toEqual(['routes/org.$slug', 'routes/org.$slug.compliance_.statements'])
		expect(routeFor('/org/acme/compliance/statements/7K2M-9QXD-F4ZB-H8RT-C3NW')).toEqual(['routes/org.$slug', 'routes/org.$slug.compliance_.statements_.$code'])
		expect(routeFor('/org/acme/compliance/statements/7K2M-9QXD-F4ZB-H8RT-C3NW.pdf')).toEqual(['routes/org.$slug', 'routes/org.$slug.compliance_.statements_.$code[.pdf]'])
	})

	test('a statement code is not a certificate, and a certificate code is not a statement', async () => {
		const org = await organisationWithRequirements('statement-verify')
		const certificate = certificateCodeFrom(await passCourse(org.learner.cookie, FREE_COURSE))
		const { code } = await issueStatement({ organisationId: org.organisation.id, actorId: org.admin.user.id, at: new Date() })
		expect((await verifyStatement(code)).statement.code).toBe(code)
		await expectThrownStatus(verifyStatement(certificate), 404)
		await expectThrownStatus(verifyCertificateLoader({ request: getRequest(`/verify/${code}`), params: { code }, context: routeContext() }), 404)
		expect((await verifyCertificateLoader({ request: getRequest(`/verify/${certificate}`), params: { code: certificate }, context: routeContext() })).status).toBe('valid')
	})
})
