import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { verifyLogin } from '#app/modules/auth/auth.server.ts'
import { action as provisioningAction, loader as provisioningLoader } from '#app/routes/org.$slug.provisioning.tsx'
import { prisma } from '#app/utils/db.server.ts'
import {
	ENTERPRISE_SCHEMA,
	filtered,
	GROUP_SCHEMA,
	PATCH_OP,
	SCIM_TEST_BODY_LIMIT,
	scimClient,
	scimTokenFor,
	startScimServer,
	USER_SCHEMA,
} from '#tests/fixtures/scim.ts'
import {
	addMember,
	createDepartment,
	createOrganisationWithAdmin,
	createSessionCookie,
	createUser,
	expectData,
	expectThrownStatus,
	getRequest,
	postRequest,
	randomId,
	routeContext,
	uniqueEmail,
	uniqueIp,
} from '#tests/fixtures/users.ts'

// SCIM 2.0 over HTTP through the app's request handler, with the server's own refusals in front,
// driven the way Microsoft Entra ID's and Okta's provisioning services drive it (their published
// request sequences and bodies).

let server: Awaited<ReturnType<typeof startScimServer>>
const logged: string[] = []
const tokensIssued: string[] = []

beforeAll(async () => {
	server = await startScimServer()
	// Whatever happens below, no token may reach a log.
	for (const method of ['log', 'info', 'warn', 'error'] as const) {
		vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
			logged.push(args.map(String).join(' '))
		})
	}
})

afterAll(async () => {
	vi.restoreAllMocks()
	await server.close()
})

/** An organisation with its admin, a SCIM token named after the client, and that client. */
async function provisionedOrganisation(tokenName: string) {
	const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'scim' })
	const token = await scimTokenFor(organisation.id, admin.id, tokenName)
	tokensIssued.push(token)
	return { organisation, admin, token, client: scimClient(server.origin, organisation.slug, token) }
}

const auditOf = (organisationId: string) =>
	prisma.auditEvent.findMany({ where: { organisationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { action: true, actorId: true, targetLabel: true, details: true } })

const membershipOf = (id: string) =>
	prisma.membership.findUniqueOrThrow({ where: { id }, select: { deactivatedAt: true, departmentId: true, scimExternalId: true, provisionedAccount: true, user: { select: { email: true, name: true } } } })

/** What Entra ID posts for a new user with its default attribute mappings. */
function entraUser(email: string, objectId: string) {
	return {
		schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
		externalId: objectId,
		userName: email,
		active: true,
		displayName: 'Grace Hopper',
		title: 'Rear Admiral',
		emails: [{ primary: true, type: 'work', value: email }],
		meta: { resourceType: 'User' },
		name: { formatted: 'Grace Hopper', familyName: 'Hopper', givenName: 'Grace' },
		[ENTERPRISE_SCHEMA]: { department: 'Navy', employeeNumber: '1906' },
	}
}

describe('as Microsoft Entra ID provisions', () => {
	test('test connection, create, find, update, groups, disable, delete', async () => {
		const { organisation, client } = await provisionedOrganisation('Entra ID')
		const email = `Grace.${randomId()}@Example.test`
		const objectId = crypto.randomUUID()

		// "Test connection": a filter on a userName nobody has.
		const probe = await client.get(filtered('/Users', `userName eq "${crypto.randomUUID()}"`))
		expect(probe.status).toBe(200)
		expect(probe.contentType).toBe('application/scim+json; charset=utf-8')
		expect(probe.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] })

		// Before creating, Entra ID looks the user up by its matching attribute.
		expect((await client.get(filtered('/Users', `userName eq "${email}"`))).body.totalResults).toBe(0)
		const created = await client.post('/Users', entraUser(email, objectId))
		expect(created.status).toBe(201)
		const id = created.body.id as string
		expect(created.headers.get('Location')).toBe(`${server.origin}/scim/v2/${organisation.slug}/Users/${id}`)
		expect(created.body).toMatchObject({ schemas: [USER_SCHEMA], id, externalId: objectId, userName: email.toLowerCase(), displayName: 'Grace Hopper', active: true })
		expect(await membershipOf(id)).toMatchObject({ deactivatedAt: null, scimExternalId: objectId, provisionedAccount: true, user: { email: email.toLowerCase(), name: 'Grace Hopper' } })
		// The new account has no password anyone knows: they sign in through SSO or a password reset.
		expect((await verifyLogin({ email: email.toLowerCase(), password: '', ip: uniqueIp() })).status).toBe('invalid')
		// The organisation announces its roll-out itself: provisioning emails nobody new.
		expect(await prisma.outboxMessage.count({ where: { to: email.toLowerCase() } })).toBe(0)

		const byExternalId = await client.get(filtered('/Users', `externalId eq "${objectId}"`))
		expect(byExternalId.body.Resources.map((user: { id: string }) => user.id)).toEqual([id])
		const byWorkEmail = await client.get(filtered('/Users', `emails[type eq "work"].value eq "${email}"`))
		expect(byWorkEmail.body.totalResults).toBe(1)
		expect((await client.get(`/Users/${id}`)).body.userName).toBe(email.toLowerCase())

		// Entra ID's PATCH: capitalised ops, paths with filters, attributes Bulwark does not keep.
		const renamed = await client.patch(`/Users/${id}`, {
			schemas: [PATCH_OP],
			Operations: [
				{ op: 'Replace', path: 'displayName', value: 'Grace B. Hopper' },
				{ op: 'Replace', path: 'name.formatted', value: 'Grace B. Hopper' },
				{ op: 'Add', path: 'emails[type eq "work"].value', value: email },
				{ op: 'Add', path: 'title', value: 'Commodore' },
				{ op: 'Replace', path: `${ENTERPRISE_SCHEMA}:department`, value: 'Computing' },
			],
		})
		expect(renamed.status).toBe(200)
		expect(renamed.body.displayName).toBe('Grace B. Hopper')
		expect((await membershipOf(id)).user.name).toBe('Grace B. Hopper')

		// Groups: looked up by displayName without members, created, then members patched in and out.
		expect((await client.get(filtered('/Groups', 'displayName eq "Engineering"', '&excludedAttributes=members'))).body.totalResults).toBe(0)
		const group = await client.post('/Groups', { schemas: [GROUP_SCHEMA], externalId: crypto.randomUUID(), displayName: 'Engineering', members: [] })
		expect(group.status).toBe(201)
		const groupId = group.body.id as string
		const added = await client.patch(`/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: id }] }] })
		expect(added.status).toBe(200)
		expect((await membershipOf(id)).departmentId).toBe(groupId)
		const withMembers = await client.get(`/Groups/${groupId}`)
		expect(withMembers.body.members).toEqual([{ value: id, display: email.toLowerCase(), $ref: `${server.origin}/scim/v2/${organisation.slug}/Users/${id}` }])
		expect((await client.get(`/Groups/${groupId}?excludedAttributes=members`)).body).not.toHaveProperty('members')
		expect((await client.get(`/Users/${id}`)).body.groups).toEqual([expect.objectContaining({ value: groupId, display: 'Engineering' })])
		const removed = await client.patch(`/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: `members[value eq "${id}"]` }] })
		expect(removed.status).toBe(200)
		expect((await membershipOf(id)).departmentId).toBeNull()

		// Unassigned in Entra ID: active "False" as a string; the user still answers, inactive.
		const disabled = await client.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })
		expect(disabled.status).toBe(200)
		expect(disabled.body.active).toBe(false)
		expect((await membershipOf(id)).deactivatedAt).not.toBeNull()
		const stillThere = await client.get(`/Users/${id}`)
		expect(stillThere.status).toBe(200)
		expect(stillThere.body.active).toBe(false)
		expect((await client.get(filtered('/Users', `userName eq "${email}"`))).body.Resources[0].active).toBe(false)

		// Deleted in Entra ID: the membership stays deactivated, the learning records stay the person's.
		expect((await client.delete(`/Users/${id}`)).status).toBe(204)
		expect((await client.get(`/Users/${id}`)).body.active).toBe(false)

		const audit = await auditOf(organisation.id)
		const bySCIM = audit.filter((event) => (event.details as { scimToken?: string } | null)?.scimToken === 'Entra ID')
		expect(bySCIM.map((event) => event.action)).toEqual([
			'member.provisioned',
			'member.profile_changed',
			'department.created',
			'member.department_changed',
			'member.department_changed',
			'member.deactivated',
		])
		expect(bySCIM.every((event) => event.actorId === null)).toBe(true)
	})
})

/** What Okta posts for a new user (its SCIM 2.0 template). */
function oktaUser(email: string, { givenName = 'Ada', familyName = 'Lovelace', active = true } = {}) {
	return {
		schemas: [USER_SCHEMA],
		userName: email,
		name: { givenName, familyName },
		emails: [{ primary: true, value: email, type: 'work' }],
		displayName: `${givenName} ${familyName}`,
		locale: 'en-GB',
		externalId: '00u1ab2cd3EF4gh5i6j7',
		groups: [],
		password: 'ignored-by-bulwark',
		active,
	}
}

describe('as Okta provisions', () => {
	test('test connection, create, PUT, PATCH active, push groups', async () => {
		const { organisation, admin, client } = await provisionedOrganisation('Okta')
		await addMember(organisation.id)

		// "Test connector configuration": the first page of two users, no filter.
		const firstPage = await client.get('/Users?startIndex=1&count=2')
		expect(firstPage.status).toBe(200)
		expect(firstPage.body).toMatchObject({ totalResults: 2, startIndex: 1, itemsPerPage: 2 })
		expect(firstPage.body.Resources.map((user: { userName: string }) => user.userName)).toContain(admin.email)
		const secondPage = await client.get('/Users?startIndex=2&count=1')
		expect(secondPage.body).toMatchObject({ totalResults: 2, startIndex: 2, itemsPerPage: 1 })
		expect(secondPage.body.Resources[0].id).toBe(firstPage.body.Resources[1].id)

		const email = uniqueEmail('ada')
		expect((await client.get(filtered('/Users', `userName eq "${email}"`, '&startIndex=1&count=100'))).body.Resources).toEqual([])
		const created = await client.post('/Users', oktaUser(email))
		expect(created.status).toBe(201)
		const id = created.body.id as string
		expect((await membershipOf(id)).user.name).toBe('Ada Lovelace')

		// Okta updates a profile with PUT of the whole user.
		const put = await client.put(`/Users/${id}`, { ...oktaUser(email, { familyName: 'King' }), id })
		expect(put.status).toBe(200)
		expect(put.body.displayName).toBe('Ada King')

		// Deactivation and reactivation: PATCH replace without a path.
		const deactivated = await client.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] })
		expect(deactivated.body.active).toBe(false)
		expect((await membershipOf(id)).deactivatedAt).not.toBeNull()
		const reactivated = await client.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] })
		expect(reactivated.body.active).toBe(true)
		expect((await membershipOf(id)).deactivatedAt).toBeNull()

		// Push groups: created with members, renamed (Okta sends the id along), member removed, deleted.
		const group = await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Research', members: [{ value: id, display: email }] })
		expect(group.status).toBe(201)
		expect(group.body.members.map((member: { value: string }) => member.value)).toEqual([id])
		const groupId = group.body.id as string
		const renamed = await client.patch(`/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: groupId, displayName: 'Research & Development' } }] })
		expect(renamed.status).toBe(200)
		expect(renamed.body.displayName).toBe('Research & Development')
		expect((await client.get(filtered('/Groups', 'displayName eq "research & development"'))).body.totalResults).toBe(1)
		await client.patch(`/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }] })
		expect((await membershipOf(id)).departmentId).toBeNull()
		expect((await client.delete(`/Groups/${groupId}`)).status).toBe(204)
		expect(await prisma.department.count({ where: { id: groupId } })).toBe(0)
		expect((await client.get(`/Groups/${groupId}`)).status).toBe(404)

		const actions = (await auditOf(organisation.id)).filter((event) => (event.details as { scimToken?: string } | null)?.scimToken === 'Okta').map((event) => event.action)
		expect(actions).toEqual([
			'member.provisioned',
			'member.profile_changed',
			'member.deactivated',
			'member.reactivated',
			'department.created',
			'member.department_changed',
			'department.renamed',
			'member.department_changed',
			'department.deleted',
		])
	})
})

describe('people and groups', () => {
	test('someone with a Bulwark account gets a membership; their account stays theirs', async () => {
		const { organisation, client } = await provisionedOrganisation('Entra ID')
		const person = await createUser({ prefix: 'existing', name: 'Their Own Name' })
		const created = await client.post('/Users', entraUser(person.email, crypto.randomUUID()))
		expect(created.status).toBe(201)
		const member = await membershipOf(created.body.id)
		expect(member).toMatchObject({ provisionedAccount: false, user: { name: 'Their Own Name' } })
		// Their own password still works, and they are told who now sees their training.
		expect((await verifyLogin({ email: person.email, password: person.password, ip: uniqueIp() })).status).toBe('ok')
		const notice = await prisma.outboxMessage.findMany({ where: { to: person.email }, select: { kind: true, organisationId: true, subject: true, text: true } })
		expect(notice).toEqual([{ kind: 'INVITATION', organisationId: organisation.id, subject: `${organisation.name} added you to its training on Bulwark`, text: expect.stringContaining('http://127.0.0.1') }])

		// Provisioning cannot move their account to another address, and a second create is a conflict.
		const moved = await client.put(`/Users/${created.body.id}`, entraUser(uniqueEmail('elsewhere'), crypto.randomUUID()))
		expect(moved.status).toBe(400)
		expect(moved.body.scimType).toBe('mutability')
		expect((await membershipOf(created.body.id)).user.email).toBe(person.email)
		const again = await client.post('/Users', entraUser(person.email, crypto.randomUUID()))
		expect(again.status).toBe(409)
		expect(again.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness' })
		expect(await prisma.membership.count({ where: { organisationId: organisation.id, userId: person.id } })).toBe(1)
	})

	test('an account provisioning created may be renamed and moved to a new address', async () => {
		const { client } = await provisionedOrganisation('Okta')
		const created = await client.post('/Users', oktaUser(uniqueEmail('mover')))
		const newEmail = uniqueEmail('moved')
		const put = await client.put(`/Users/${created.body.id}`, oktaUser(newEmail, { givenName: 'Augusta' }))
		expect(put.status).toBe(200)
		expect(await membershipOf(created.body.id)).toMatchObject({ user: { email: newEmail, name: 'Augusta Lovelace' } })

		// Once the person confirmed the address (a reset or a confirmation link), the account is theirs.
		await prisma.user.update({ where: { email: newEmail }, data: { emailVerifiedAt: new Date() }, select: { id: true } })
		const taken = await client.put(`/Users/${created.body.id}`, oktaUser(uniqueEmail('taken-back')))
		expect(taken.status).toBe(400)
		expect(taken.body.scimType).toBe('mutability')
		expect((await membershipOf(created.body.id)).user.email).toBe(newEmail)
	})

	test('a member is in one department: a second group moves them, and the first no longer lists them', async () => {
		const { client } = await provisionedOrganisation('Entra ID')
		const user = (await client.post('/Users', entraUser(uniqueEmail('mover'), crypto.randomUUID()))).body.id as string
		const first = (await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'First', members: [{ value: user }] })).body.id as string
		const second = (await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Second', members: [{ value: user }] })).body.id as string
		expect((await membershipOf(user)).departmentId).toBe(second)
		expect((await client.get(`/Groups/${first}`)).body.members).toEqual([])
		// Removing them from the group they already left changes nothing.
		expect((await client.patch(`/Groups/${first}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: `members[value eq "${user}"]` }] })).status).toBe(200)
		expect((await membershipOf(user)).departmentId).toBe(second)
		// Entra ID also removes with the members as a list.
		expect((await client.patch(`/Groups/${second}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ value: user }] }] })).status).toBe(200)
		expect((await membershipOf(user)).departmentId).toBeNull()
		// Replacing the members sets them, and a PUT without members leaves them.
		await client.patch(`/Groups/${second}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members', value: [{ value: user }] }] })
		expect((await membershipOf(user)).departmentId).toBe(second)
		expect((await client.put(`/Groups/${second}`, { schemas: [GROUP_SCHEMA], displayName: 'Second, renamed' })).body.members).toEqual([expect.objectContaining({ value: user })])
		// A group naming someone who is not a user here changes nothing at all.
		const unknown = await client.patch(`/Groups/${first}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: user }, { value: 'nosuchmember' }] }] })
		expect(unknown.status).toBe(400)
		expect((await membershipOf(user)).departmentId).toBe(second)
	})

	test('a group a manager is limited to is not deleted, and a second group with the same name is a conflict', async () => {
		const { organisation, client } = await provisionedOrganisation('Entra ID')
		const department = await createDepartment(organisation.id, 'Finance')
		const manager = await addMember(organisation.id, { role: 'MANAGER' })
		await prisma.managerDepartment.create({ data: { membershipId: manager.membership.id, departmentId: department.id } })
		const refused = await client.delete(`/Groups/${department.id}`)
		expect(refused.status).toBe(409)
		expect(await prisma.department.count({ where: { id: department.id } })).toBe(1)
		const duplicate = await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'finance' })
		expect(duplicate.status).toBe(409)
		expect(duplicate.body.scimType).toBe('uniqueness')
	})

	test('the only admin is not deactivated', async () => {
		const { organisation, admin, client } = await provisionedOrganisation('Entra ID')
		const listed = await client.get(filtered('/Users', `userName eq "${admin.email}"`))
		const refused = await client.patch(`/Users/${listed.body.Resources[0].id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })
		expect(refused.status).toBe(409)
		expect(await prisma.membership.count({ where: { organisationId: organisation.id, deactivatedAt: null, role: 'ADMIN' } })).toBe(1)
	})

	test('discovery: ServiceProviderConfig, Schemas, ResourceTypes', async () => {
		const { client } = await provisionedOrganisation('Entra ID')
		const config = await client.get('/ServiceProviderConfig')
		expect(config.body).toMatchObject({ patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 100 } })
		const schemas = await client.get('/Schemas')
		expect(schemas.body.Resources.map((schema: { id: string }) => schema.id)).toEqual([USER_SCHEMA, GROUP_SCHEMA])
		expect((await client.get(`/Schemas/${USER_SCHEMA}`)).body.name).toBe('User')
		const types = await client.get('/ResourceTypes')
		expect(types.body.Resources.map((type: { endpoint: string }) => type.endpoint)).toEqual(['/Users', '/Groups'])
		expect((await client.get('/ResourceTypes/Group')).body.schema).toBe(GROUP_SCHEMA)
	})
})

describe('refusals change nothing and answer SCIM errors', () => {
	const isScimError = (answer: { contentType: string | null; body: any }, status: number) => {
		expect(answer.contentType).toMatch(/^application\/scim\+json/)
		expect(answer.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status) })
	}
	const userCount = (organisationId: string) => prisma.membership.count({ where: { organisationId } })

	test('no token, a wrong one, a revoked one, an expired one: 401', async () => {
		const { organisation, admin } = await provisionedOrganisation('Entra ID')
		const body = entraUser(uniqueEmail('nobody'), crypto.randomUUID())
		const anonymous = await scimClient(server.origin, organisation.slug, null).post('/Users', body)
		expect(anonymous.status).toBe(401)
		expect(anonymous.headers.get('WWW-Authenticate')).toMatch(/^Bearer/)
		isScimError(anonymous, 401)
		isScimError(await scimClient(server.origin, organisation.slug, 'not-a-real-token').post('/Users', body), 401)

		const revoked = await scimTokenFor(organisation.id, admin.id, 'Old')
		await prisma.scimToken.updateMany({ where: { name: 'Old', organisationId: organisation.id }, data: { revokedAt: new Date() } })
		const revokedAnswer = await scimClient(server.origin, organisation.slug, revoked).post('/Users', body)
		expect(revokedAnswer.status).toBe(401)
		expect(revokedAnswer.body.detail).toMatch(/revoked/)

		const expired = await scimTokenFor(organisation.id, admin.id, 'Expired')
		await prisma.scimToken.updateMany({ where: { name: 'Expired', organisationId: organisation.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
		const expiredAnswer = await scimClient(server.origin, organisation.slug, expired).get('/Users')
		expect(expiredAnswer.status).toBe(401)
		expect(expiredAnswer.body.detail).toMatch(/expired/)
		expect(await userCount(organisation.id)).toBe(1)
	})

	test('another organisation’s token, or its ids, reach nothing', async () => {
		const a = await provisionedOrganisation('Entra ID')
		const b = await provisionedOrganisation('Entra ID')
		const bUser = (await b.client.post('/Users', entraUser(uniqueEmail('b'), crypto.randomUUID()))).body.id as string
		const bGroup = (await b.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'B only' })).body.id as string

		// A's token at B's address is as unknown as a made-up one.
		expect((await scimClient(server.origin, b.organisation.slug, a.token).get('/Users')).status).toBe(401)
		// At A's own address, B's ids do not exist.
		expect((await a.client.get(`/Users/${bUser}`)).status).toBe(404)
		expect((await a.client.patch(`/Users/${bUser}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: false }] })).status).toBe(404)
		expect((await a.client.delete(`/Users/${bUser}`)).status).toBe(404)
		expect((await a.client.get(`/Groups/${bGroup}`)).status).toBe(404)
		expect((await a.client.delete(`/Groups/${bGroup}`)).status).toBe(404)
		expect((await a.client.get(filtered('/Users', `id eq "${bUser}"`))).body.totalResults).toBe(0)
		// Nor can A's groups take B's members.
		const aGroup = (await a.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'A only' })).body.id as string
		expect((await a.client.patch(`/Groups/${aGroup}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: bUser }] }] })).status).toBe(400)
		expect(await membershipOf(bUser)).toMatchObject({ deactivatedAt: null, departmentId: null })
		expect(await prisma.department.count({ where: { id: bGroup } })).toBe(1)
	})

	test('bad JSON, a form body, a bad filter, an unknown op, a bad path, unknown resources and methods', async () => {
		const { organisation, client } = await provisionedOrganisation('Entra ID')
		const before = await userCount(organisation.id)

		const badJson = await client.send('POST', '/Users', undefined, { rawBody: '{"userName": "a@b.c",' })
		expect(badJson.status).toBe(400)
		expect(badJson.body.scimType).toBe('invalidSyntax')
		const form = await client.send('POST', '/Users', undefined, { rawBody: 'userName=a%40b.c', contentType: 'application/x-www-form-urlencoded' })
		expect(form.status).toBe(400)
		isScimError(form, 400)
		const notEmail = await client.post('/Users', { ...entraUser('x@y.z', 'e1'), userName: 'not an email' })
		expect(notEmail.status).toBe(400)
		expect(notEmail.body.scimType).toBe('invalidValue')
		const filter = await client.get(filtered('/Users', 'userName co "a"'))
		expect(filter.status).toBe(400)
		expect(filter.body.scimType).toBe('invalidFilter')
		expect((await client.get(filtered('/Users', 'title eq "x"'))).body.scimType).toBe('invalidFilter')
		expect((await client.get('/Users?startIndex=abc')).status).toBe(400)

		const member = (await client.get('/Users')).body.Resources[0].id as string
		const badOp = await client.patch(`/Users/${member}`, { schemas: [PATCH_OP], Operations: [{ op: 'Move', path: 'active', value: false }] })
		expect(badOp.status).toBe(400)
		const badPath = await client.patch(`/Users/${member}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'name..x', value: 'x' }] })
		expect(badPath.body.scimType).toBe('invalidPath')
		// One refused operation leaves the earlier ones undone too.
		const mixed = await client.patch(`/Users/${member}`, {
			schemas: [PATCH_OP],
			Operations: [
				{ op: 'Replace', path: 'displayName', value: 'Changed' },
				{ op: 'Replace', path: 'userName', value: 'not an email' },
			],
		})
		expect(mixed.status).toBe(400)
		expect((await client.get(`/Users/${member}`)).body.displayName).not.toBe('Changed')

		isScimError(await client.get('/Bulk'), 404)
		expect((await client.get('/Users/not-an-id!')).status).toBe(404)
		const wrongMethod = await client.send('PUT', '/ServiceProviderConfig', {})
		expect(wrongMethod.status).toBe(405)
		isScimError(wrongMethod, 405)
		expect((await client.send('PATCH', '/Users', { schemas: [PATCH_OP], Operations: [] })).status).toBe(405)
		expect(await userCount(organisation.id)).toBe(before)
	})

	test('wrong tokens from one address are limited; another address is not held up', async () => {
		const { organisation, token } = await provisionedOrganisation('Entra ID')
		const ip = uniqueIp()
		const guesser = scimClient(server.origin, organisation.slug, 'wrong-token', { ip })
		for (let attempt = 0; attempt < 20; attempt++) expect((await guesser.get('/Users')).status).toBe(401)
		const limited = await scimClient(server.origin, organisation.slug, token, { ip }).get('/Users')
		expect(limited.status).toBe(429)
		expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
		isScimError(limited, 429)
		expect((await scimClient(server.origin, organisation.slug, token).get('/Users')).status).toBe(200)
	})

	test('what the server refuses by itself under /scim/v2/ is a SCIM error too', async () => {
		const { client } = await provisionedOrganisation('Entra ID')
		const tooLarge = await client.send('POST', '/Users', undefined, { rawBody: JSON.stringify({ userName: 'a@b.c', padding: 'x'.repeat(SCIM_TEST_BODY_LIMIT) }) })
		expect(tooLarge.status).toBe(413)
		isScimError(tooLarge, 413)
		const options = await client.send('OPTIONS', '/Users')
		expect(options.status).toBe(405)
		isScimError(options, 405)
	})

	test('the server lets SCIM methods through without an Origin, and only under /scim/v2/', async () => {
		const { client } = await provisionedOrganisation('Entra ID')
		// fetch sends no Origin: the SCIM requests above passed rejectForeignOrigins all the same.
		expect((await client.get('/Users')).status).toBe(200)
		const elsewhere = await fetch(`${server.origin}/org/anything`, { method: 'PATCH', body: '{}' })
		expect(elsewhere.status).toBe(405)
		expect(elsewhere.headers.get('Allow')).toBe('GET, HEAD, POST')
		expect(elsewhere.headers.get('Content-Type') ?? '').not.toMatch(/scim/)
		const postElsewhere = await fetch(`${server.origin}/org/anything`, { method: 'POST', body: '{}' })
		expect(postElsewhere.status).toBe(403)
	})

	test('no token appears in any log', () => {
		expect(tokensIssued.length).toBeGreaterThan(5)
		expect(logged.filter((line) => tokensIssued.some((token) => line.includes(token)) || line.includes('Bearer '))).toEqual([])
	})
})

describe('the Provisioning page', () => {
	test('an admin creates a token, sees it once, and revokes it; the list says when it was last used', async () => {
		const { organisation, admin } = await createOrganisationWithAdmin({ prefix: 'scim-page' })
		const { cookie } = await createSessionCookie(admin.id)
		const path = `/org/${organisation.slug}/provisioning`
		const params = { slug: organisation.slug }

		const created = await provisioningAction({ request: postRequest(path, { intent: 'create', name: 'Entra ID', lifetimeDays: '365' }, { cookie }), params, context: routeContext() })
		const token = (created as { created: { token: string } }).created.token
		expect(token).toMatch(/^[a-z2-7]{32}$/)
		expect(await prisma.scimToken.count({ where: { tokenHash: token } })).toBe(0)

		expect((await scimClient(server.origin, organisation.slug, token).get('/Users')).status).toBe(200)
		const page = await provisioningLoader({ request: getRequest(path, { cookie }), params, context: routeContext() })
		expect(JSON.stringify(page)).not.toContain(token)
		expect(page.baseUrl).toBe(`http://localhost/scim/v2/${organisation.slug}`)
		const [listed] = page.tokens
		expect(listed).toMatchObject({ name: 'Entra ID', state: 'active', createdBy: admin.name })
		expect(listed?.lastUsedAt).not.toBeNull()

		await provisioningAction({ request: postRequest(path, { intent: 'revoke', tokenId: listed?.id ?? '' }, { cookie }), params, context: routeContext() })
		expect((await scimClient(server.origin, organisation.slug, token).get('/Users')).status).toBe(401)
		expect((await provisioningLoader({ request: getRequest(path, { cookie }), params, context: routeContext() })).tokens[0]?.state).toBe('revoked')
		const again = await provisioningAction({ request: postRequest(path, { intent: 'revoke', tokenId: listed?.id ?? '' }, { cookie }), params, context: routeContext() })
		expectData(again, 400)

		const actions = (await auditOf(organisation.id)).map((event) => event.action)
		expect(actions).toEqual(expect.arrayContaining(['scim.token_created', 'scim.token_revoked']))
	})

	test('only admins see it', async () => {
		const { organisation } = await createOrganisationWithAdmin({ prefix: 'scim-page' })
		const manager = await addMember(organisation.id, { role: 'MANAGER' })
		const { cookie } = await createSessionCookie(manager.user.id)
		const path = `/org/${organisation.slug}/provisioning`
		await expectThrownStatus(provisioningLoader({ request: getRequest(path, { cookie }), params: { slug: organisation.slug }, context: routeContext() }), 403)
		await expectThrownStatus(
			provisioningAction({ request: postRequest(path, { intent: 'create', name: 'Mine', lifetimeDays: '90' }, { cookie }), params: { slug: organisation.slug }, context: routeContext() }),
			403,
		)
		expect(await prisma.scimToken.count({ where: { organisationId: organisation.id } })).toBe(0)
	})
})
