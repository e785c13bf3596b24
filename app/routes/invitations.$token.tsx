import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, useSchemaForm } from '#app/components/forms.tsx'
import { createSessionCookie, getAuthSession, hasAccount } from '#app/modules/auth/auth.server.ts'
import { findPasswordProblem } from '#app/modules/auth/password-policy.server.ts'
import { NameSchema, NewPasswordSchema } from '#app/modules/auth/schemas.ts'
import {
	acceptInvitation,
	acceptInvitationWithNewAccount,
	findInvitation,
	INVITATION_STATE_MESSAGES,
	InvitationError,
} from '#app/modules/organisations/invitations.server.ts'
import { ROLE_LABELS } from '#app/modules/organisations/roles.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { notFound } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Invitation · Bulwark' }]

const AcceptWithNewAccountSchema = z.object({ intent: z.literal('signup'), name: NameSchema, password: NewPasswordSchema })

async function loadInvitation(token: string | undefined) {
	const invitation = token ? await findInvitation(token) : null
	if (!invitation) throw notFound('This invitation link is not valid. Check that you copied the whole link.')
	return invitation
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const invitation = await loadInvitation(params.token)
	const { session } = await getAuthSession(request)
	const accountExists = session ? true : await hasAccount(invitation.email)
	return {
		invitation: {
			email: invitation.email,
			role: invitation.role,
			organisationName: invitation.organisation.name,
			invitedBy: invitation.invitedBy.name,
			problem: invitation.state === 'open' ? null : INVITATION_STATE_MESSAGES[invitation.state],
		},
		signedInAs: session?.user.email ?? null,
		accountExists,
	}
}

function welcome(organisationSlug: string, organisationName: string, init?: ResponseInit) {
	return redirectWithFlash(`/org/${organisationSlug}`, { type: 'success', message: `Welcome to ${organisationName}.` }, init)
}

export async function action({ request, params }: ActionFunctionArgs) {
	const token = params.token ?? ''
	const invitation = await loadInvitation(token)
	const formData = await readForm(request)
	const { session } = await getAuthSession(request)

	if (readIntent(formData, ['signup', 'accept']) === 'accept') {
		if (!session) return data({ result: null, error: 'Log in first to accept this invitation.' }, { status: 401 })
		try {
			const { organisationSlug } = await acceptInvitation({ token, userId: session.user.id })
			return welcome(organisationSlug, invitation.organisation.name)
		} catch (error) {
			if (!(error instanceof InvitationError)) throw error
			return data({ result: null, error: error.message }, { status: 400 })
		}
	}

	if (session) return data({ result: null, error: 'You are already signed in; accept the invitation with this account.' }, { status: 400 })
	const submission = parseSubmission(
		formData,
		AcceptWithNewAccountSchema.superRefine((value, ctx) => {
			const problem = findPasswordProblem(value.password, { email: invitation.email, name: value.name })
			if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem })
		}),
	)
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['password'] }), error: null }, { status: 400 })
	try {
		const { userId, organisationSlug } = await acceptInvitationWithNewAccount({ token, name: submission.value.name, password: submission.value.password })
		return welcome(organisationSlug, invitation.organisation.name, {
			headers: { 'Set-Cookie': await createSessionCookie(request, userId) },
		})
	} catch (error) {
		if (!(error instanceof InvitationError)) throw error
		return data({ result: null, error: error.message }, { status: 400 })
	}
}

function NewAccountForm({ email }: { email: string }) {
	const actionData = useActionData<typeof action>()
	const [form, fields] = useSchemaForm(AcceptWithNewAccountSchema, { id: 'accept-signup', lastResult: actionData?.result })
	return (
		<Form method="POST" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="signup" />
			<Field label="Email" inputProps={{ id: 'invited-email', type: 'email', value: email, readOnly: true }} />
			<Field label="Name" errors={fields.name.errors} inputProps={{ ...getInputProps(fields.name, { type: 'text' }), autoComplete: 'name' }} />
			<Field
				label="Password"
				hint="At least 12 characters. A passphrase of a few unrelated words is strong and easy to remember."
				errors={fields.password.errors}
				inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'new-password' }}
			/>
			<button type="submit">Create account and join</button>
		</Form>
	)
}

export default function InvitationPage() {
	const { invitation, signedInAs, accountExists } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { pathname } = useLocation()
	return (
		<div className="card narrow">
			<h1>Join {invitation.organisationName}</h1>
			<p>
				{invitation.invitedBy} invited <strong>{invitation.email}</strong> to join as {ROLE_LABELS[invitation.role].toLowerCase()}.
			</p>
			{actionData?.error ? (
				<div role="alert" className="form-error">
					<ErrorList errors={[actionData.error]} />
				</div>
			) : null}
			{invitation.problem ? (
				<p role="alert" className="form-error">
					{invitation.problem}
				</p>
			) : signedInAs === invitation.email ? (
				<Form method="POST">
					<input type="hidden" name="intent" value="accept" />
					<button type="submit">Accept invitation</button>
				</Form>
			) : signedInAs ? (
				<>
					<p>
						You are signed in as {signedInAs}. This invitation is for {invitation.email}: log out, then open the link again and
						sign in with that address.
					</p>
					<Form method="POST" action="/logout">
						<button type="submit" className="button-secondary">
							Log out
						</button>
					</Form>
				</>
			) : accountExists ? (
				<p>
					<Link className="button" to={`/login?${new URLSearchParams({ redirectTo: pathname })}`}>
						Log in to accept
					</Link>
				</p>
			) : (
				<NewAccountForm email={invitation.email} />
			)}
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
