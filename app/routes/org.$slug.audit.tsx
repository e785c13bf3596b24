import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { DataTable } from '#app/components/data-table.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { Pager } from '#app/components/pager.tsx'
import { AUDIT_ACTIONS, listAuditEvents } from '#app/modules/organisations/audit.server.ts'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { canAdminister } from '#app/modules/organisations/roles.ts'
import { badRequest } from '#app/utils/http.server.ts'

const PageSchema = z.coerce.number().int().min(1).max(100_000).catch(Number.NaN)

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireMembership(request, params.slug, {
		allow: canAdminister,
		forbiddenMessage: 'Only admins can read the audit log.',
	})
	const page = PageSchema.parse(new URL(request.url).searchParams.get('page') ?? 1)
	if (Number.isNaN(page)) throw badRequest('The page number must be a whole number from 1.')
	const { events, pageCount } = await listAuditEvents(organisation.id, page)
	return {
		page,
		pageCount,
		events: events.map((event) => ({
			...event,
			description: AUDIT_ACTIONS[event.action as keyof typeof AUDIT_ACTIONS] ?? event.action,
		})),
	}
}

/** A change made over SCIM names the token that made it (decision 027); no person acted. */
function scimTokenOf(details: unknown) {
	const token = details && typeof details === 'object' ? (details as Record<string, unknown>).scimToken : undefined
	return typeof token === 'string' ? token : null
}

function actorOf(event: { actor: { name: string; email: string } | null; details: unknown }) {
	if (event.actor) return `${event.actor.name} (${event.actor.email})`
	const token = scimTokenOf(event.details)
	return token ? `SCIM token “${token}”` : 'A deleted account'
}

function formatDetails(details: unknown) {
	if (!details || typeof details !== 'object') return ''
	const { from, to, role } = details as Record<string, unknown>
	if (from !== undefined || to !== undefined) return `${from ?? 'none'} → ${to ?? 'none'}`
	return role ? `as ${role}` : ''
}

export default function AuditLogPage() {
	const { events, page, pageCount } = useLoaderData<typeof loader>()
	return (
		<section>
			<h2>Audit log</h2>
			<p className="muted">Every privileged action in this organisation, newest first.</p>
			<DataTable columns={['When (UTC)', 'Who', 'Action', 'Target', 'Details']}>
				{events.map((event) => (
					<tr key={event.id}>
						<td>
							<time dateTime={new Date(event.createdAt).toISOString()}>
								{new Date(event.createdAt).toISOString().slice(0, 16).replace('T', ' ')}
							</time>
						</td>
						<td>{actorOf(event)}</td>
						<td>{event.description}</td>
						<td>{event.targetUser?.email ?? event.targetLabel ?? ''}</td>
						<td>{formatDetails(event.details)}</td>
					</tr>
				))}
			</DataTable>
			<Pager label="Audit log pages" page={page} pageCount={pageCount} previous="Newer" next="Older" />
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
