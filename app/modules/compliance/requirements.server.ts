import type { Role } from '#app/generated/prisma/enums.ts'
import type { CompiledCourse } from '#app/modules/courses/compile-course.server.tsx'
import { getCourseLibrary } from '#app/modules/courses/course-library.server.ts'
import { recordAuditEvent } from '#app/modules/organisations/audit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { badRequest, notFound } from '#app/utils/http.server.ts'
import { type AUDIENCES, describeAudience, describeTerms, labelRequirements } from './audience.ts'

/** The baseline for small organisations: every free module, for everyone, within 30 days, every 12 months. */
export const BASELINE = { dueWithinDays: 30, recurrenceMonths: 12 }


/** The free courses the baseline would add: those the organisation does not require yet. */
export function coursesMissingFromBaseline(courses: CompiledCourse[], requiredSlugs: Iterable<string>) {
	const required = new Set(requiredSlugs)
	return courses.filter((course) => course.facts.free && !required.has(course.slug))
}

/** The organisation's requirements with their course's title, their label and the recurrence that applies. */
export async function listRequirements(organisationId: string) {
	const [requirements, { bySlug }] = await Promise.all([
		prisma.trainingRequirement.findMany({
			where: { organisationId },
			orderBy: [{ pausedAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
			select: {
				id: true,
				courseSlug: true,
				audience: true,
				roles: true,
				dueWithinDays: true,
				recurrenceMonths: true,
				pausedAt: true,
				createdAt: true,
				departments: { select: { department: { select: { name: true } } } },
			},
		}),
		getCourseLibrary(),
	])
	return labelRequirements(
		requirements.map(({ departments, ...requirement }) => {
			const course = bySlug.get(requirement.courseSlug)
			return {
				...requirement,
				courseTitle: course?.variants.en.title ?? requirement.courseSlug,
				audienceLabel: describeAudience({ ...requirement, departmentNames: departments.map(({ department }) => department.name) }),
				/** Its own recurrence, else the course's validity; null when the course left the library. */
				renewEveryMonths: requirement.recurrenceMonths ?? course?.facts.validityMonths ?? null,
			}
		}),
	)
}

/** The organisation's requirements by id: reports that read requirement rows name them by these labels. */
export async function requirementsById(organisationId: string) {
	return new Map((await listRequirements(organisationId)).map((requirement) => [requirement.id, requirement]))
}

export type NewRequirement = {
	course: CompiledCourse
	audience: (typeof AUDIENCES)[number]
	departmentIds: string[]
	roles: Role[]
	dueWithinDays: number
	recurrenceMonths?: number
}

export async function createRequirement({ organisationId, actorId, requirement }: { organisationId: string; actorId: string; requirement: NewRequirement }) {
	const { course, audience, dueWithinDays, recurrenceMonths } = requirement
	const departmentIds = audience === 'DEPARTMENTS' ? [...new Set(requirement.departmentIds)] : []
	const roles = audience === 'ROLES' ? [...new Set(requirement.roles)] : []
	// Departments come from a form: only this organisation's are accepted.
	const departments = await prisma.department.findMany({ where: { organisationId, id: { in: departmentIds } }, select: { id: true, name: true } })
	if (departments.length !== departmentIds.length) throw badRequest('One of those departments does not exist in this organisation.')
	return prisma.$transaction(async (tx) => {
		const created = await tx.trainingRequirement.create({
			data: {
				organisationId,
				courseSlug: course.slug,
				audience,
				roles,
				dueWithinDays,
				recurrenceMonths: recurrenceMonths ?? null,
				departments: { create: departments.map((department) => ({ departmentId: department.id })) },
			},
			select: { id: true },
		})
		await recordAuditEvent(tx, {
			organisationId,
			actorId,
			action: 'requirement.created',
			targetLabel: course.variants.en.title,
			details: {
				for: describeAudience({ audience, roles, departmentNames: departments.map((department) => department.name) }),
				dueWithinDays,
				recurrenceMonths: recurrenceMonths ?? 'course validity',
			},
		})
		return created
	})
}

/** How the audit log names a requirement: as every report does (labelRequirements). */
async function labelOf(organisationId: string, requirementId: string) {
	return (await requirementsById(organisationId)).get(requirementId)?.label ?? requirementId
}

async function findRequirement(organisationId: string, requirementId: string) {
	const requirement = await prisma.trainingRequirement.findFirst({
		where: { id: requirementId, organisationId },
		select: { id: true, courseSlug: true, pausedAt: true, dueWithinDays: true, recurrenceMonths: true },
	})
	if (!requirement) throw notFound('That requirement does not exist in this organisation.')
	return requirement
}

export async function setRequirementPaused({ organisationId, actorId, requirementId, paused }: {
	organisationId: string
	actorId: string
	requirementId: string
	paused: boolean
}) {
	const requirement = await findRequirement(organisationId, requirementId)
	if (paused === Boolean(requirement.pausedAt)) return
	const targetLabel = await labelOf(organisationId, requirement.id)
	await prisma.$transaction(async (tx) => {
		// The condition makes a double click change it once.
		const { count } = await tx.trainingRequirement.updateMany({
			where: { id: requirement.id, pausedAt: paused ? null : { not: null } },
			data: { pausedAt: paused ? new Date() : null },
		})
		if (count === 0) return
		await recordAuditEvent(tx, {
			organisationId,
			actorId,
			action: paused ? 'requirement.paused' : 'requirement.resumed',
			targetLabel,
		})
	})
}

/**
 * Changes how long members have and how often they renew. The requirement keeps its creation date,
 * so members' deadlines move by the difference, not back to the start.
 */
export async function adjustRequirement({
	organisationId,
	actorId,
	requirementId,
	dueWithinDays,
	recurrenceMonths,
}: {
	organisationId: string
	actorId: string
	requirementId: string
	dueWithinDays: number
	recurrenceMonths?: number
}) {
	const requirement = await findRequirement(organisationId, requirementId)
	const terms = { dueWithinDays, recurrenceMonths: recurrenceMonths ?? null }
	if (describeTerms(terms) === describeTerms(requirement)) return
	const targetLabel = await labelOf(organisationId, requirement.id)
	await prisma.$transaction(async (tx) => {
		await tx.trainingRequirement.updateMany({ where: { id: requirement.id, organisationId }, data: terms })
		await recordAuditEvent(tx, {
			organisationId,
			actorId,
			action: 'requirement.adjusted',
			targetLabel,
			details: { from: describeTerms(requirement), to: describeTerms(terms) },
		})
	})
}

export async function removeRequirement({ organisationId, actorId, requirementId }: { organisationId: string; actorId: string; requirementId: string }) {
	const requirement = await findRequirement(organisationId, requirementId)
	const targetLabel = await labelOf(organisationId, requirement.id)
	await prisma.$transaction(async (tx) => {
		const { count } = await tx.trainingRequirement.deleteMany({ where: { id: requirement.id, organisationId } })
		if (count === 0) return
		await recordAuditEvent(tx, { organisationId, actorId, action: 'requirement.removed', targetLabel })
	})
}

/**
 * Adds the baseline (BASELINE) for every free course the organisation does not require yet, in
 * one transaction; the admin adjusts or removes them afterwards like any other. Returns how many
 * it added.
 */
export async function applyBaseline({ organisationId, actorId, courses }: { organisationId: string; actorId: string; courses: CompiledCourse[] }) {
	return prisma.$transaction(async (tx) => {
		// Two admins applying it at once must not add each course twice.
		await tx.$queryRaw`SELECT "id" FROM "Organisation" WHERE "id" = ${organisationId} FOR UPDATE`
		const existing = await tx.trainingRequirement.findMany({ where: { organisationId }, select: { courseSlug: true } })
		const missing = coursesMissingFromBaseline(
			courses,
			existing.map((requirement) => requirement.courseSlug),
		)
		for (const course of missing) {
			await tx.trainingRequirement.create({ data: { organisationId, courseSlug: course.slug, audience: 'EVERYONE', ...BASELINE }, select: { id: true } })
		}
		if (missing.length > 0) {
			await recordAuditEvent(tx, {
				organisationId,
				actorId,
				action: 'requirement.baseline_applied',
				targetLabel: missing.map((course) => course.variants.en.title).join(', '),
				details: { for: 'everyone', ...BASELINE },
			})
		}
		return missing.length
	})
}
