import type { Role } from '#app/generated/prisma/enums.ts'

export const ROLES = ['LEARNER', 'MANAGER', 'ADMIN'] as const satisfies readonly Role[]

export const ROLE_LABELS: Record<Role, string> = { LEARNER: 'Learner', MANAGER: 'Manager', ADMIN: 'Admin' }

/** Managers and admins see the member list; only admins change anything or read the audit log. */
export const canSeeMembers = (role: Role) => role === 'MANAGER' || role === 'ADMIN'
export const canAdminister = (role: Role) => role === 'ADMIN'
