import 'dotenv/config'
import { hashPassword } from '#app/modules/auth/password.server.ts'
import { recordAuditEvent } from '#app/modules/organisations/audit.server.ts'
import { disconnectDatabase, prisma } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'

/** Demo data for trying Bulwark locally. The accounts are listed in the README. */
export const DEMO = {
	organisation: { name: 'Northwind Manufacturing', slug: 'northwind' },
	password: 'safe-and-sound-demo',
	departments: ['Engineering', 'Operations', 'Sales', 'Finance', 'Field Service'],
	admin: { name: 'Ada Admin', email: 'admin@northwind.test' },
	managers: [
		{ name: 'Omar Operations', email: 'manager.operations@northwind.test', department: 'Operations' },
		{ name: 'Sofia Sales', email: 'manager.sales@northwind.test', department: 'Sales' },
	],
	learnerCount: 30,
}

const FIRST_NAMES = ['Amara', 'Ben', 'Chen', 'Dana', 'Elif', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Olu']
const LAST_NAMES = ['Novak', 'Schmidt', 'Okafor', 'Garcia', 'Lindqvist', 'Haddad', 'Tanaka', 'Moreau', 'Kowalski', 'Brennan']

async function seed() {
	if (getEnv().NODE_ENV === 'production') {
		throw new Error('The demo seed creates accounts with published passwords and refuses to run when NODE_ENV=production.')
	}
	const existing = await prisma.organisation.findUnique({ where: { slug: DEMO.organisation.slug }, select: { id: true } })
	if (existing) {
		console.log('Demo data is already there; nothing to do.')
		return
	}
	const passwordHash = await hashPassword(DEMO.password)
	await prisma.$transaction(async (tx) => {
		const organisation = await tx.organisation.create({ data: DEMO.organisation, select: { id: true } })
		const departmentIds = new Map<string, string>()
		for (const name of DEMO.departments) {
			const department = await tx.department.create({ data: { organisationId: organisation.id, name }, select: { id: true } })
			departmentIds.set(name, department.id)
		}
		const people = [
			{ ...DEMO.admin, role: 'ADMIN' as const, department: null },
			...DEMO.managers.map((manager) => ({ ...manager, role: 'MANAGER' as const })),
			...Array.from({ length: DEMO.learnerCount }, (_, index) => {
				const number = String(index + 1).padStart(2, '0')
				return {
					name: `${FIRST_NAMES[index % FIRST_NAMES.length]} ${LAST_NAMES[index % LAST_NAMES.length]}`,
					email: `learner${number}@northwind.test`,
					role: 'LEARNER' as const,
					department: DEMO.departments[index % DEMO.departments.length]!,
				}
			}),
		]
		for (const person of people) {
			await tx.user.create({
				data: {
					name: person.name,
					email: person.email,
					passwordHash,
					memberships: {
						create: {
							organisationId: organisation.id,
							role: person.role,
							departmentId: person.department ? departmentIds.get(person.department) : null,
						},
					},
				},
				select: { id: true },
			})
		}
		await recordAuditEvent(tx, { organisationId: organisation.id, actorId: null, action: 'organisation.created', targetLabel: 'Demo data' })
	})
	console.log(`Seeded ${DEMO.organisation.name}: 1 admin, ${DEMO.managers.length} managers, ${DEMO.learnerCount} learners (password "${DEMO.password}").`)
}

try {
	await seed()
} catch (error) {
	console.error(error instanceof Error ? error.message : error)
	process.exitCode = 1
} finally {
	await disconnectDatabase()
}
