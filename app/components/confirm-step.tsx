import { Form, Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { CONFIRM_STEP_ID, CONFIRMED_FIELD } from '#app/utils/form-fields.ts'

/**
 * The step before a destructive action: the page shows it when its URL names the record (a link
 * from the list, so it works without JavaScript), and only its button carries the confirmation
 * the server insists on. Cancel goes back to the list as it was.
 */
export function ConfirmStep({
	title,
	children,
	fields,
	confirmLabel,
	cancelHref,
}: {
	title: string
	children: ReactNode
	fields: Record<string, string>
	confirmLabel: string
	cancelHref: string
}) {
	return (
		<section id={CONFIRM_STEP_ID} aria-labelledby="confirm-step-title" className="card confirm-step">
			<h3 id="confirm-step-title" className="flush-top">
				{title}
			</h3>
			{children}
			<Form method="POST" className="actions">
				{Object.entries(fields).map(([name, value]) => (
					<input key={name} type="hidden" name={name} value={value} />
				))}
				<input type="hidden" name={CONFIRMED_FIELD.name} value={CONFIRMED_FIELD.value} />
				<button type="submit" className="button-danger">
					{confirmLabel}
				</button>
				<Link to={cancelHref} className="button button-secondary">
					Cancel
				</Link>
			</Form>
		</section>
	)
}
