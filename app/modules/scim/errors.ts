/** SCIM's media type (RFC 7644 §3.1): every answer of the SCIM endpoints carries it. */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'

export const SCIM_SCHEMAS = {
	user: 'urn:ietf:params:scim:schemas:core:2.0:User',
	enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
	group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
	listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
	patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
	error: 'urn:ietf:params:scim:api:messages:2.0:Error',
	serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
	resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
	schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const

/** The `scimType` values of RFC 7644 §3.12 that Bulwark answers with. */
export type ScimErrorType = 'invalidFilter' | 'invalidSyntax' | 'invalidPath' | 'invalidValue' | 'noTarget' | 'uniqueness' | 'mutability' | 'tooMany'

/** A refusal the SCIM endpoints answer in SCIM's error format; nothing was changed. */
export class ScimError extends Error {
	constructor(
		readonly status: number,
		readonly detail: string,
		readonly scimType?: ScimErrorType,
		readonly headers: Record<string, string> = {},
	) {
		super(detail)
	}
}

/** A SCIM JSON answer: the media type, and kept by no cache (it describes people). */
export function scimResponse(body: unknown, status = 200, headers: Record<string, string> = {}) {
	return new Response(body === null ? null : JSON.stringify(body), {
		status,
		headers: { ...(body === null ? {} : { 'Content-Type': SCIM_CONTENT_TYPE }), 'Cache-Control': 'no-store', ...headers },
	})
}

/** RFC 7644 §3.12: `status` is a string there, and `scimType` only where one applies. */
export function scimErrorBody(status: number, detail: string, scimType?: ScimErrorType) {
	return { schemas: [SCIM_SCHEMAS.error], status: String(status), ...(scimType ? { scimType } : {}), detail }
}

export function scimErrorResponse(error: ScimError) {
	return scimResponse(scimErrorBody(error.status, error.detail, error.scimType), error.status, error.headers)
}

/** Where the SCIM endpoints live: the server lets their methods and bodies through, and answers refusals there in SCIM's format. */
export const isScimPath = (path: string) => path.startsWith('/scim/v2/')
