import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { Field, useSchemaForm } from '#app/components/forms.tsx'
import { requireSession } from '#app/modules/auth/auth.server.ts'
import { createOrganisation } from '#app/modules/organisations/organisations.server.ts'
import { CreateOrganisationSchema } from '#app/modules/organisations/schemas.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'

export const meta: MetaFunction = () => [{ title: 'Create an organisation · Bulwark' }]

export async function loader({ request }: LoaderFunctionArgs) {
	await requireSession(request)
	return {}
}

export async function action({ request }: ActionFunctionArgs) {
	const session = await requireSession(request)
	const submission = await readSubmission(request, CreateOrganisationSchema)
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const organisation = await createOrganisation({ userId: session.user.id, name: submission.value.name })
	return redirectWithFlash(`/org/${organisation.slug}`, {
		type: 'success',
		message: `${organisation.name} is ready. You are its admin: invite your colleagues next.`,
	})
}

export default function NewOrganisationPage() {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useSchemaForm(CreateOrganisationSchema, { id: 'create-organisation', lastResult: actionData?.result })
	return (
		<div className="card narrow">
			<h1>Create an organisation</h1>
			<p className="muted">For your company or team. You become its admin and can invite colleagues.</p>
			<Form method="POST" {...getFormProps(form)}>
				<Field
					label="Organisation name"
					errors={fields.name.errors}
					inputProps={{ ...getInputProps(fields.name, { type: 'text' }), autoComplete: 'organization' }}
				/>
				<button type="submit" disabled={navigation.state === 'submitting'}>
					Create organisation
				</button>
			</Form>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
