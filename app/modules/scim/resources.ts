import { SCIM_SCHEMAS } from './errors.ts'

// How Bulwark's records look as SCIM resources (RFC 7643), and the discovery documents
// (/ServiceProviderConfig, /ResourceTypes, /Schemas) that describe them.

/** The largest page a list answers; clients page with startIndex and count beyond it. */
export const MAX_PAGE_SIZE = 100

export interface MemberRecord {
	id: string
	joinedAt: Date
	deactivatedAt: Date | null
	scimExternalId: string | null
	department: { id: string; name: string } | null
	user: { email: string; name: string }
}

export interface DepartmentRecord {
	id: string
	name: string
	createdAt: Date
	scimExternalId: string | null
	/** Left out when the client excluded members (Entra ID asks so). */
	memberships?: Array<{ id: string; user: { email: string } }>
}

/** A member as a SCIM User: its id is the membership's, as an identity provider provisions people into one organisation. */
export function userResource(member: MemberRecord, baseUrl: string) {
	const location = `${baseUrl}/Users/${member.id}`
	return {
		schemas: [SCIM_SCHEMAS.user],
		id: member.id,
		...(member.scimExternalId ? { externalId: member.scimExternalId } : {}),
		userName: member.user.email,
		name: { formatted: member.user.name },
		displayName: member.user.name,
		emails: [{ value: member.user.email, type: 'work', primary: true }],
		active: member.deactivatedAt === null,
		groups: member.department ? [{ value: member.department.id, display: member.department.name, $ref: `${baseUrl}/Groups/${member.department.id}` }] : [],
		meta: { resourceType: 'User', created: member.joinedAt.toISOString(), location },
	}
}

/** A department as a SCIM Group; its members are memberships (SCIM Users). */
export function groupResource(department: DepartmentRecord, baseUrl: string) {
	return {
		schemas: [SCIM_SCHEMAS.group],
		id: department.id,
		...(department.scimExternalId ? { externalId: department.scimExternalId } : {}),
		displayName: department.name,
		...(department.memberships
			? { members: department.memberships.map((member) => ({ value: member.id, display: member.user.email, $ref: `${baseUrl}/Users/${member.id}` })) }
			: {}),
		meta: { resourceType: 'Group', created: department.createdAt.toISOString(), location: `${baseUrl}/Groups/${department.id}` },
	}
}

export function listResponse(resources: unknown[], { totalResults, startIndex }: { totalResults: number; startIndex: number }) {
	return { schemas: [SCIM_SCHEMAS.listResponse], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources }
}

/** Always returned whatever `attributes` asks for (RFC 7643 §7, "returned: always"). */
const ALWAYS_RETURNED = new Set(['schemas', 'id', 'meta'])

/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5) on top-level attributes, which is what
 * clients ask for (`excludedAttributes=members`); names are case-insensitive.
 */
export function selectAttributes<Resource extends Record<string, unknown>>(resource: Resource, { attributes, excludedAttributes }: AttributeSelection) {
	const names = (list: string) => new Set(list.split(',').map((name) => name.trim().toLowerCase().split('.')[0]))
	const wanted = attributes ? names(attributes) : null
	const excluded = excludedAttributes ? names(excludedAttributes) : null
	return Object.fromEntries(
		Object.entries(resource).filter(([key]) => {
			const lower = key.toLowerCase()
			if (ALWAYS_RETURNED.has(lower)) return true
			if (wanted) return wanted.has(lower)
			return !excluded?.has(lower)
		}),
	)
}

export interface AttributeSelection {
	attributes?: string
	excludedAttributes?: string
}

/** Whether the members of a group are to be read at all. */
export function wantsMembers(selection: AttributeSelection) {
	return Object.keys(selectAttributes({ members: true }, selection)).length > 0
}

export function serviceProviderConfig(baseUrl: string) {
	return {
		schemas: [SCIM_SCHEMAS.serviceProviderConfig],
		patch: { supported: true },
		bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
		filter: { supported: true, maxResults: MAX_PAGE_SIZE },
		changePassword: { supported: false },
		sort: { supported: false },
		etag: { supported: false },
		authenticationSchemes: [
			{
				type: 'oauthbearertoken',
				name: 'OAuth Bearer Token',
				description: 'A SCIM token an admin creates on the organisation’s Provisioning page in Bulwark.',
				primary: true,
			},
		],
		meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
	}
}

const RESOURCE_TYPES = [
	{ id: 'User', name: 'User', endpoint: '/Users', description: 'A member of the organisation', schema: SCIM_SCHEMAS.user },
	{ id: 'Group', name: 'Group', endpoint: '/Groups', description: 'A department of the organisation', schema: SCIM_SCHEMAS.group },
]

export function resourceTypes(baseUrl: string) {
	return RESOURCE_TYPES.map((type) => ({
		schemas: [SCIM_SCHEMAS.resourceType],
		...type,
		meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.id}` },
	}))
}

type Attribute = {
	name: string
	type: 'string' | 'boolean' | 'complex' | 'reference'
	multiValued: boolean
	required: boolean
	mutability: 'readOnly' | 'readWrite' | 'immutable'
	returned: 'default' | 'always'
	uniqueness: 'none' | 'server'
	caseExact: boolean
	description: string
	subAttributes?: Attribute[]
	referenceTypes?: string[]
}

const text = (name: string, description: string, more: Partial<Attribute> = {}): Attribute => ({
	name,
	type: 'string',
	multiValued: false,
	required: false,
	mutability: 'readWrite',
	returned: 'default',
	uniqueness: 'none',
	caseExact: false,
	description,
	...more,
})

const USER_ATTRIBUTES: Attribute[] = [
	text('userName', 'The person’s email address; Bulwark signs them in by it.', { required: true, uniqueness: 'server' }),
	text('name', 'The person’s name; Bulwark keeps one name, read from displayName, name.formatted or the given and family names.', {
		type: 'complex',
		subAttributes: [text('formatted', 'The full name'), text('givenName', 'The given name'), text('familyName', 'The family name')],
	}),
	text('displayName', 'The name Bulwark shows, on certificates too.'),
	text('emails', 'The work email address, the same as userName.', {
		type: 'complex',
		multiValued: true,
		mutability: 'readOnly',
		subAttributes: [text('value', 'The address'), text('type', 'Always work'), { ...text('primary', 'Always true'), type: 'boolean' }],
	}),
	{ ...text('active', 'Whether the membership is active; false deactivates it and keeps the person’s learning records.'), type: 'boolean' },
	text('groups', 'The department the member is in (one at a time).', {
		type: 'complex',
		multiValued: true,
		mutability: 'readOnly',
		subAttributes: [text('value', 'The group’s id', { mutability: 'readOnly' }), text('display', 'The department’s name', { mutability: 'readOnly' })],
	}),
]

const GROUP_ATTRIBUTES: Attribute[] = [
	text('displayName', 'The department’s name, unique in the organisation.', { required: true, uniqueness: 'server' }),
	text('members', 'The members of the department; a member is in one department at a time.', {
		type: 'complex',
		multiValued: true,
		subAttributes: [
			text('value', 'The member’s SCIM User id', { mutability: 'immutable', caseExact: true }),
			text('display', 'The member’s email address', { mutability: 'readOnly' }),
		],
	}),
]

const SCHEMAS = [
	{ id: SCIM_SCHEMAS.user, name: 'User', description: 'A member of the organisation', attributes: USER_ATTRIBUTES },
	{ id: SCIM_SCHEMAS.group, name: 'Group', description: 'A department of the organisation', attributes: GROUP_ATTRIBUTES },
]

export function schemaDefinitions(baseUrl: string) {
	return SCHEMAS.map((schema) => ({
		schemas: [SCIM_SCHEMAS.schema],
		...schema,
		meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
	}))
}
