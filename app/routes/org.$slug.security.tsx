import { getFormProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, useSchemaForm } from '#app/components/forms.tsx'
import { MFA_MESSAGES } from '#app/modules/auth/mfa/messages.ts'
import { OrganisationMfaPolicySchema } from '#app/modules/auth/mfa/schemas.ts'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { describeMfaPolicy, setMfaRequirement } from '#app/modules/organisations/mfa-policy.server.ts'
import { canAdminister } from '#app/modules/organisations/roles.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'

const adminOnly = { allow: canAdminister, forbiddenMessage: 'Only admins can change the organisation’s security rules.' }

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireMembership(request, params.slug, adminOnly)
	return describeMfaPolicy(organisation.id)
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { organisation, user } = await requireMembership(request, params.slug, adminOnly)
	const submission = await readSubmission(request, OrganisationMfaPolicySchema)
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const { requireMfa } = submission.value
	const changed = await setMfaRequirement({ organisationId: organisation.id, actorId: user.id, requireMfa })
	if (changed.status === 'actor-without-factor') return data({ result: submission.reply({ formErrors: [MFA_MESSAGES.ownFactorFirst] }) }, { status: 400 })
	return redirectWithFlash(`/org/${organisation.slug}/security`, {
		type: 'success',
		message: requireMfa ? MFA_MESSAGES.policyOn : MFA_MESSAGES.policyOff,
	})
}

export default function OrganisationSecurityPage() {
	const { requireMfa, membersWithoutFactor } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [form] = useSchemaForm(OrganisationMfaPolicySchema, { id: 'mfa-policy', lastResult: actionData?.result })
	return (
		<section className="stack">
			<h2>Security</h2>
			<div className="card">
				<h3 className="flush-top">Multi-factor authentication</h3>
				<p>
					When required, every member needs an authenticator app or a passkey. A member without one is led to set it up before they see any
					page of the organisation; they cannot remove their last factor while the rule stands.
				</p>
				<p className="muted">{MFA_MESSAGES.membersWithoutFactor(membersWithoutFactor)}</p>
				<Form method="POST" {...getFormProps(form)}>
					<div className="field">
						<label>
							<input type="checkbox" name="requireMfa" defaultChecked={requireMfa} /> Require multi-factor authentication of every member
						</label>
					</div>
					<ErrorList id={form.errorId} errors={form.errors} />
					<button type="submit">Save</button>
				</Form>
			</div>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
