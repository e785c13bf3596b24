import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { DataTable } from '#app/components/data-table.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { Pager } from '#app/components/pager.tsx'
import type { OutboxKind } from '#app/generated/prisma/enums.ts'
import { DELIVERY_STATE_LABELS } from '#app/modules/mail/delivery-state.ts'
import { listOutbox } from '#app/modules/mail/outbox.server.ts'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { canAdminister } from '#app/modules/organisations/roles.ts'
import { isEmailConfigured } from '#app/utils/email.server.ts'
import { badRequest } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Outbox · Bulwark' }]

const OutboxQuerySchema = z.object({
	page: z.coerce
		.number({ invalid_type_error: 'The page number must be a whole number from 1' })
		.int('The page number must be a whole number from 1')
		.min(1, 'The page number must be a whole number from 1')
		.max(100_000, 'There are not that many pages')
		.default(1),
})

const COLUMNS = ['When (UTC)', 'Kind', 'To', 'Message', 'Delivery']

const KIND_LABELS: Record<OutboxKind, string> = { REMINDER: 'Reminder', DIGEST: 'Daily digest', INVITATION: 'Invitation', ACCOUNT: 'Account' }

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireMembership(request, params.slug, {
		allow: canAdminister,
		forbiddenMessage: 'Only admins can read the outbox.',
	})
	const query = OutboxQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
	if (!query.success) throw badRequest(`${query.error.issues.map((issue) => issue.message).join('. ')}.`)
	const { page } = query.data
	const emailConfigured = isEmailConfigured()
	const { messages, total, pageCount } = await listOutbox(organisation.id, page, emailConfigured)
	return { page, pageCount, total, messages, emailConfigured }
}

const utcMinute = (date: Date | string) => new Date(date).toISOString().slice(0, 16).replace('T', ' ')

export default function OutboxPage() {
	const { messages, page, pageCount, total, emailConfigured } = useLoaderData<typeof loader>()
	return (
		<section>
			<h2>Outbox</h2>
			<p className="muted">
				Every invitation, reminder and daily digest Bulwark wrote for your organisation, newest first ({total} in all).{' '}
				{emailConfigured
					? 'Mail is configured: a background worker emails each message within moments, retries a failed one after 1, 2, 4 and 8 minutes, and keeps it here.'
					: 'Mail is not configured (SMTP_URL), so messages wait here; reminders and digests are discarded after a day, invitations when their link expires.'}
			</p>
			<DataTable columns={COLUMNS}>
				{messages.map((message) => (
					<tr key={message.id}>
						<td>
							<time dateTime={new Date(message.createdAt).toISOString()}>{utcMinute(message.createdAt)}</time>
						</td>
						<td>{KIND_LABELS[message.kind]}</td>
						<td>
							{message.member ? (
								<>
									{message.member.name}
									<br />
									<span className="small">{message.to}</span>
								</>
							) : (
								<>
									{message.to}
									<br />
									<span className="small muted">no longer a member</span>
								</>
							)}
						</td>
						<td>
							<details>
								<summary>{message.subject}</summary>
								<pre className="small">{message.text}</pre>
							</details>
						</td>
						<td>
							{message.deliveredAt ? (
								<>Delivered {utcMinute(message.deliveredAt)}</>
							) : (
								<span className={message.state === 'failed' || message.state === 'discarded' ? 'badge badge-inactive' : 'badge'}>
									{DELIVERY_STATE_LABELS[message.state]}
								</span>
							)}
							{message.state === 'retrying' && message.nextAttemptAt ? <span className="small"> next try {utcMinute(message.nextAttemptAt)}</span> : null}
							{message.deliveryError && message.state !== 'delivered' ? <p className="small muted">{message.deliveryError}</p> : null}
						</td>
					</tr>
				))}
			</DataTable>
			{messages.length === 0 ? <p className="muted">No messages yet.</p> : null}
			<Pager label="Outbox pages" page={page} pageCount={pageCount} previous="Newer" next="Older" />
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
