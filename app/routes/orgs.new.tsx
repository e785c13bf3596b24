import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, useSchemaForm } from '#app/components/forms.tsx'
import { ACCOUNT_MESSAGES } from '#app/modules/auth/account-messages.ts'
import { requireSession } from '#app/modules/auth/auth.server.ts'
import { mayCreateOrganisation } from '#app/modules/auth/email-verification.server.ts'
import { createOrganisation } from '#app/modules/organisations/organisations.server.ts'
import { CreateOrganisationSchema } from '#app/modules/organisations/schemas.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'

export const meta: MetaFunction = () => [{ title: 'Create an organisation · Bulwark' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const session = await requireSession(request)
	return { mayCreate: mayCreateOrganisation(session.user) }
}

export async function action({ request }: ActionFunctionArgs) {
	const session = await requireSession(request)
	const submission = await readSubmission(request, CreateOrganisationSchema)
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	if (!mayCreateOrganisation(session.user)) {
		return data({ result: submission.reply({ formErrors: [ACCOUNT_MESSAGES.organisationNeedsVerifiedEmail] }) }, { status: 403 })
	}
	const organisation = await createOrganisation({ userId: session.user.id, name: submission.value.name })
	return redirectWithFlash(`/org/${organisation.slug}`, {
		type: 'success',
		message: `${organisation.name} is ready. You are its admin: invite your colleagues next.`,
	})
}

export default function NewOrganisationPage() {
	const { mayCreate } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useSchemaForm(CreateOrganisationSchema, { id: 'create-organisation', lastResult: actionData?.result })
	return (
		<div className="card narrow">
			<h1>Create an organisation</h1>
			<p className="muted">For your company or team. You become its admin and can invite colleagues.</p>
			{mayCreate ? null : (
				<p role="alert" className="form-error">
					{ACCOUNT_MESSAGES.organisationNeedsVerifiedEmail}
				</p>
			)}
			<Form method="POST" {...getFormProps(form)}>
				<Field
					label="Organisation name"
					errors={fields.name.errors}
					inputProps={{ ...getInputProps(fields.name, { type: 'text' }), autoComplete: 'organization' }}
				/>
				<ErrorList id={form.errorId} errors={form.errors} />
				<button type="submit" disabled={!mayCreate || navigation.state === 'submitting'}>
					Create organisation
				</button>
			</Form>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
