import type { RequirementAudience, Role } from '#app/generated/prisma/enums.ts'
import { ROLE_LABELS } from '#app/modules/organisations/roles.ts'

export const AUDIENCES = ['EVERYONE', 'DEPARTMENTS', 'ROLES'] as const satisfies readonly RequirementAudience[]

/** Who a requirement is for, in words: the requirements page and the audit log say it alike. */
export function describeAudience({ audience, departmentNames, roles }: { audience: RequirementAudience; departmentNames: string[]; roles: Role[] }) {
	if (audience === 'DEPARTMENTS') return departmentNames.join(', ')
	if (audience === 'ROLES') return roles.map((role) => `${ROLE_LABELS[role]}s`).join(', ')
	return 'Everyone'
}

type Unlabelled = { courseSlug: string; courseTitle: string; audienceLabel: string; dueWithinDays: number; recurrenceMonths: number | null; createdAt: Date }

/**
 * How every report names a requirement (the dashboard, member pages, the CSV, statements and
 * reminders): by its course's title while the organisation requires that course once; when it
 * requires it more than once, also by whom it is for ("Phishing — Sales"), then by its terms
 * when those are alike too, then by the order they were added. `distinguishedBy` is that addition,
 * null when the title alone is unique; `audienceLabel` carries it too, so every "For" column tells
 * them apart.
 */
export function labelRequirements<Requirement extends Unlabelled>(requirements: Requirement[]) {
	const sharing = (key: (requirement: Requirement) => string) => {
		const counts = new Map<string, number>()
		for (const requirement of requirements) counts.set(key(requirement), (counts.get(key(requirement)) ?? 0) + 1)
		return (requirement: Requirement) => (counts.get(key(requirement)) ?? 0) > 1
	}
	const sharesCourse = sharing((requirement) => requirement.courseSlug)
	const sharesAudience = sharing((requirement) => `${requirement.courseSlug}\n${requirement.audienceLabel}`)
	const withTerms = (requirement: Requirement) =>
		sharesAudience(requirement) ? `${requirement.audienceLabel} (${describeTerms(requirement)})` : requirement.audienceLabel
	const sharesTerms = sharing((requirement) => `${requirement.courseSlug}\n${withTerms(requirement)}`)
	const byAge = [...requirements].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
	return requirements.map((requirement) => {
		const alike = byAge.filter((other) => other.courseSlug === requirement.courseSlug && withTerms(other) === withTerms(requirement))
		const audienceLabel = sharesTerms(requirement) ? `${withTerms(requirement)} #${alike.indexOf(requirement) + 1}` : withTerms(requirement)
		const distinguishedBy = sharesCourse(requirement) ? audienceLabel : null
		return { ...requirement, audienceLabel, distinguishedBy, label: distinguishedBy ? `${requirement.courseTitle} — ${distinguishedBy}` : requirement.courseTitle }
	})
}

/** "30 days, every 12 months": a requirement's terms, as the audit log and the labels state them. */
export const describeTerms = ({ dueWithinDays, recurrenceMonths }: { dueWithinDays: number; recurrenceMonths: number | null }) =>
	`${dueWithinDays} days, ${recurrenceMonths ? `every ${recurrenceMonths} months` : 'renewed with the course’s validity'}`
