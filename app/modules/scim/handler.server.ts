import { getEnv } from '#app/utils/env.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'
import { ScimError, scimErrorResponse, scimResponse } from './errors.ts'
import { parseFilter } from './filter.ts'
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup, replaceGroup } from './groups.server.ts'
import { SCIM_MESSAGES } from './messages.ts'
import {
	type AttributeSelection,
	groupResource,
	listResponse,
	MAX_PAGE_SIZE,
	resourceTypes,
	schemaDefinitions,
	selectAttributes,
	serviceProviderConfig,
	userResource,
	wantsMembers,
} from './resources.ts'
import { ListQuerySchema, parseScim, PatchOpSchema, ScimGroupSchema } from './schemas.ts'
import { authenticateScimRequest, type ScimActor } from './tokens.server.ts'
import { createUser, deleteUser, getUser, listUsers, parseUser, patchUser, replaceUser } from './users.server.ts'

// One entry for every request under /scim/v2/<slug>/ (RFC 7644): the bearer token first, then
// the resource. Every answer, refusals included, is SCIM JSON; a refusal has changed nothing.

interface ScimRequest {
	request: Request
	actor: ScimActor
	/** Where links in emails point: APP_URL, else this request's origin. */
	origin: string
	/** `https://host/scim/v2/<slug>`, for meta.location and $ref. */
	baseUrl: string
	/** The path below the base, split: `['Users', '<id>']`. */
	segments: string[]
}

export async function handleScimRequest(request: Request, { slug, path, clientIp }: { slug: string | undefined; path: string | undefined; clientIp: string }) {
	try {
		const actor = await authenticateScimRequest(request, slug, clientIp)
		const origin = getAppOrigin(request, getEnv().APP_URL)
		const segments = (path ?? '').split('/').filter(Boolean)
		return await answer({ request, actor, origin, baseUrl: `${origin}/scim/v2/${slug}`, segments })
	} catch (error) {
		if (error instanceof ScimError) return scimErrorResponse(error)
		throw error
	}
}

const notAllowed = (allow: string) => new ScimError(405, SCIM_MESSAGES.methodNotAllowed, undefined, { Allow: allow })

function answer(scim: ScimRequest) {
	const [resource, id, ...rest] = scim.segments
	if (rest.length > 0 || resource === undefined) throw new ScimError(404, SCIM_MESSAGES.notFound)
	const method = scim.request.method
	switch (resource.toLowerCase()) {
		case 'users':
			return id === undefined ? users(scim, method) : user(scim, method, id)
		case 'groups':
			return id === undefined ? groups(scim, method) : group(scim, method, id)
		case 'serviceproviderconfig':
			if (id !== undefined) throw new ScimError(404, SCIM_MESSAGES.notFound)
			return readOnly(method, () => serviceProviderConfig(scim.baseUrl))
		case 'schemas':
			return readOnly(method, () => discovery(schemaDefinitions(scim.baseUrl), id, SCIM_MESSAGES.schemaNotFound))
		case 'resourcetypes':
			return readOnly(method, () => discovery(resourceTypes(scim.baseUrl), id, SCIM_MESSAGES.resourceTypeNotFound))
		default:
			throw new ScimError(404, SCIM_MESSAGES.notFound)
	}
}

function readOnly(method: string, body: () => unknown) {
	if (method !== 'GET' && method !== 'HEAD') throw notAllowed('GET, HEAD')
	return scimResponse(body())
}

/** The list of schemas or resource types, or the one named by `id`. */
function discovery<Item extends { id: string }>(items: Item[], id: string | undefined, missing: string) {
	if (id === undefined) return listResponse(items, { totalResults: items.length, startIndex: 1 })
	const item = items.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase())
	if (!item) throw new ScimError(404, missing)
	return item
}

function listQuery(request: Request) {
	const parsed = ListQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
	if (!parsed.success) throw new ScimError(400, SCIM_MESSAGES.invalidPagination, 'invalidValue')
	const { filter, startIndex, count, attributes, excludedAttributes } = parsed.data
	return {
		filter: filter ? parseFilter(filter) : [],
		startIndex,
		count: Math.min(MAX_PAGE_SIZE, Math.max(0, count ?? MAX_PAGE_SIZE)),
		selection: { attributes, excludedAttributes } satisfies AttributeSelection,
	}
}

function selectionOf(request: Request): AttributeSelection {
	const query = new URL(request.url).searchParams
	return { attributes: query.get('attributes') ?? undefined, excludedAttributes: query.get('excludedAttributes') ?? undefined }
}

/** The JSON object a write sends; anything else is a 400 before anything is looked up. */
async function readJson(request: Request): Promise<Record<string, unknown>> {
	const type = request.headers.get('Content-Type')?.split(';')[0]?.trim().toLowerCase()
	if (type !== 'application/scim+json' && type !== 'application/json') throw new ScimError(400, SCIM_MESSAGES.notJson, 'invalidSyntax')
	let body: unknown
	try {
		body = JSON.parse(await request.text())
	} catch {
		throw new ScimError(400, SCIM_MESSAGES.invalidJson, 'invalidSyntax')
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ScimError(400, SCIM_MESSAGES.invalidBody, 'invalidSyntax')
	return body as Record<string, unknown>
}

async function readPatch(request: Request) {
	return parseScim(PatchOpSchema, await readJson(request)).Operations
}

async function users({ request, actor, origin, baseUrl }: ScimRequest, method: string) {
	if (method === 'GET' || method === 'HEAD') {
		const query = listQuery(request)
		const { totalResults, members } = await listUsers(actor, query)
		const resources = members.map((member) => selectAttributes(userResource(member, baseUrl), query.selection))
		return scimResponse(listResponse(resources, { totalResults, startIndex: query.startIndex }))
	}
	if (method !== 'POST') throw notAllowed('GET, HEAD, POST')
	const created = userResource(await createUser(actor, parseUser(await readJson(request)), origin), baseUrl)
	return scimResponse(created, 201, { Location: created.meta.location })
}

async function user({ request, actor, baseUrl }: ScimRequest, method: string, id: string) {
	const answerWith = async (member: Parameters<typeof userResource>[0]) => scimResponse(selectAttributes(userResource(member, baseUrl), selectionOf(request)))
	switch (method) {
		case 'GET':
		case 'HEAD':
			return answerWith(await getUser(actor, id))
		case 'PUT':
			return answerWith(await replaceUser(actor, id, await readJson(request)))
		case 'PATCH':
			return answerWith(await patchUser(actor, id, await readPatch(request)))
		case 'DELETE':
			await deleteUser(actor, id)
			return scimResponse(null, 204)
		default:
			throw notAllowed('GET, HEAD, PUT, PATCH, DELETE')
	}
}

async function groups({ request, actor, baseUrl }: ScimRequest, method: string) {
	if (method === 'GET' || method === 'HEAD') {
		const query = listQuery(request)
		const { totalResults, departments } = await listGroups(actor, { ...query, withMembers: wantsMembers(query.selection) })
		const resources = departments.map((department) => selectAttributes(groupResource(department, baseUrl), query.selection))
		return scimResponse(listResponse(resources, { totalResults, startIndex: query.startIndex }))
	}
	if (method !== 'POST') throw notAllowed('GET, HEAD, POST')
	const created = groupResource(await createGroup(actor, parseScim(ScimGroupSchema, await readJson(request))), baseUrl)
	return scimResponse(created, 201, { Location: created.meta.location })
}

async function group({ request, actor, baseUrl }: ScimRequest, method: string, id: string) {
	const selection = selectionOf(request)
	const answerWith = (department: Parameters<typeof groupResource>[0]) => scimResponse(selectAttributes(groupResource(department, baseUrl), selection))
	switch (method) {
		case 'GET':
		case 'HEAD':
			return answerWith(await getGroup(actor, id, wantsMembers(selection)))
		case 'PUT': {
			const body = await readJson(request)
			return answerWith(await replaceGroup(actor, id, parseScim(ScimGroupSchema, body), body))
		}
		case 'PATCH':
			return answerWith(await patchGroup(actor, id, await readPatch(request), wantsMembers(selection)))
		case 'DELETE':
			await deleteGroup(actor, id)
			return scimResponse(null, 204)
		default:
			throw notAllowed('GET, HEAD, PUT, PATCH, DELETE')
	}
}
