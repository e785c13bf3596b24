import type { RequirementAudience, Role } from '#app/generated/prisma/enums.ts'
import { ROLE_LABELS } from '#app/modules/organisations/roles.ts'

export const AUDIENCES = ['EVERYONE', 'DEPARTMENTS', 'ROLES'] as const satisfies readonly RequirementAudience[]

/** Who a requirement is for, in words: the requirements page and the audit log say it alike. */
export function describeAudience({ audience, departmentNames, roles }: { audience: RequirementAudience; departmentNames: string[]; roles: Role[] }) {
	if (audience === 'DEPARTMENTS') return departmentNames.join(', ')
	if (audience === 'ROLES') return roles.map((role) => `${ROLE_LABELS[role]}s`).join(', ')
	return 'Everyone'
}
