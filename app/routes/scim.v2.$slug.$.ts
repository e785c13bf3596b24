import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { handleScimRequest } from '#app/modules/scim/handler.server.ts'

// SCIM 2.0 for identity providers (docs/decisions/027-scim-provisioning.md): GET and HEAD reach
// the loader, POST, PUT, PATCH and DELETE the action; both hand the request to the SCIM module.

function scim({ request, params, context }: LoaderFunctionArgs | ActionFunctionArgs) {
	return handleScimRequest(request, { slug: params.slug, path: params['*'], clientIp: context.clientIp })
}

export const loader = scim
export const action = scim
