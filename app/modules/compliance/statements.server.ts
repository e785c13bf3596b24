import { z } from 'zod'
import type { Prisma } from '#app/generated/prisma/client.ts'
import { generateCertificateCode, normaliseCertificateCode } from '#app/modules/certificates/certificate-code.server.ts'
import { recordAuditEvent } from '#app/modules/organisations/audit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { forbidden, notFound } from '#app/utils/http.server.ts'
import { countByRequirement, countMembersByDepartment, sumInScope } from './report.server.ts'
import { type ManagerScope, requireManagerScope } from '#app/modules/organisations/manager-scope.server.ts'
import { emptyStatusCounts, meetsRequirement, percentCompliant, REQUIREMENT_STATUSES, type StatusCounts, totalOf } from './status.ts'

// A statement is the organisation's figures frozen at the moment it was issued: the counts are
// copied into the row, so later completions, requirements or renamings never change what an
// auditor was handed. Its code is a certificate-style code (same alphabet, same checks).

/** One line per requirement as stored in "ComplianceStatement"."requirements". */
const StoredRequirementsSchema = z.array(
	z.object({ courseTitle: z.string(), audience: z.string(), members: z.number().int().min(0), compliant: z.number().int().min(0) }),
)
type StoredRequirement = z.infer<typeof StoredRequirementsSchema>[number]

const compliantOf = (counts: StatusCounts) => REQUIREMENT_STATUSES.filter(meetsRequirement).reduce((sum, status) => sum + counts[status], 0)

/** The dashboard's rule (percentCompliant, rounded down) applied to stored counts. */
const percentOf = (members: number, compliant: number) => percentCompliant({ ...emptyStatusCounts(), COMPLIANT: compliant, OVERDUE: members - compliant })

const statementSelect = {
	code: true,
	organisationName: true,
	issuedAt: true,
	members: true,
	compliant: true,
	requirements: true,
} as const

type StoredStatement = Prisma.ComplianceStatementGetPayload<{ select: typeof statementSelect }>

/** What every view of a statement shows (its page, its PDF, its public verification page). */
function present({ requirements, ...statement }: StoredStatement) {
	return {
		...statement,
		percentCompliant: percentOf(statement.members, statement.compliant),
		requirements: StoredRequirementsSchema.parse(requirements).map((requirement) => ({
			...requirement,
			percentCompliant: percentOf(requirement.members, requirement.compliant),
		})),
	}
}

/**
 * Issues a statement of the whole organisation's compliance at `at`: members and how many are
 * compliant (compliant or expiring), and the same per active requirement. Audit-logged.
 */
export async function issueStatement({ organisationId, actorId, at = new Date() }: { organisationId: string; actorId: string; at?: Date }) {
	const scope: ManagerScope = { organisationId, departmentIds: null }
	const [organisation, byDepartment, byRequirement] = await Promise.all([
		prisma.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true } }),
		countMembersByDepartment(organisationId, at),
		countByRequirement(scope, at),
	])
	const members = sumInScope(scope, byDepartment)
	const requirements: StoredRequirement[] = byRequirement.map((requirement) => ({
		courseTitle: requirement.courseTitle,
		audience: requirement.audienceLabel,
		members: totalOf(requirement.counts),
		compliant: compliantOf(requirement.counts),
	}))
	const code = generateCertificateCode()
	return prisma.$transaction(async (tx) => {
		const statement = await tx.complianceStatement.create({
			data: {
				organisationId,
				code,
				organisationName: organisation.name,
				issuedAt: at,
				issuedById: actorId,
				members: totalOf(members),
				compliant: compliantOf(members),
				requirements,
			},
			select: statementSelect,
		})
		await recordAuditEvent(tx, {
			organisationId,
			actorId,
			action: 'compliance.statement_issued',
			targetLabel: `Statement ${code}`,
			details: { code, members: statement.members, compliant: statement.compliant },
		})
		return present(statement)
	})
}

export const STATEMENT_LIST_LIMIT = 100

/** The organisation's statements, newest first (the most recent STATEMENT_LIST_LIMIT). */
export async function listStatements(organisationId: string) {
	const statements = await prisma.complianceStatement.findMany({
		where: { organisationId },
		orderBy: [{ issuedAt: 'desc' }, { id: 'desc' }],
		take: STATEMENT_LIST_LIMIT,
		select: { code: true, issuedAt: true, members: true, compliant: true },
	})
	return statements.map((statement) => ({ ...statement, percentCompliant: percentOf(statement.members, statement.compliant) }))
}

/** One of the organisation's statements by its code; 404 for another organisation's, malformed or unknown codes. */
export async function requireStatementInOrganisation(organisationId: string, codeInput: string | undefined) {
	const code = normaliseCertificateCode(codeInput)
	const statement = code ? await prisma.complianceStatement.findFirst({ where: { code, organisationId }, select: statementSelect }) : null
	if (!statement) throw notFound('We could not find that statement among this organisation’s.')
	return present(statement)
}

/** What /verify/statement/<code> shows anyone holding the code; 404 for malformed or unknown codes. */
export async function requirePublicStatement(codeInput: string | undefined) {
	const code = normaliseCertificateCode(codeInput)
	const statement = code ? await prisma.complianceStatement.findUnique({ where: { code }, select: statementSelect }) : null
	if (!statement) throw notFound('There is no compliance statement with this code. Check the code for typing mistakes.')
	return present(statement)
}

/**
 * The gate for statements: the compliance readers (404 to other organisations' members, 403 to
 * learners) who see the whole organisation, since a statement covers all of it.
 */
export async function requireStatementReader(request: Request, slug: string | undefined) {
	const access = await requireManagerScope(request, slug)
	if (access.scope.departmentIds !== null) {
		throw forbidden('A compliance statement covers the whole organisation, so only admins and managers of the whole organisation can issue and read them.')
	}
	return access
}
