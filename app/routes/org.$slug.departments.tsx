import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { DataTable } from '#app/components/data-table.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { Field, useSchemaForm } from '#app/components/forms.tsx'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { createDepartment, listDepartments, MemberChangeError } from '#app/modules/organisations/members.server.ts'
import { canAdminister } from '#app/modules/organisations/roles.ts'
import { CreateDepartmentSchema } from '#app/modules/organisations/schemas.ts'
import { readSubmission } from '#app/utils/form-submission.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'

const adminOnly = { allow: canAdminister, forbiddenMessage: 'Only admins can manage departments.' }

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireMembership(request, params.slug, adminOnly)
	return { departments: await listDepartments(organisation.id) }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { organisation, user } = await requireMembership(request, params.slug, adminOnly)
	const submission = await readSubmission(request, CreateDepartmentSchema)
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	try {
		await createDepartment({ organisationId: organisation.id, actorId: user.id, name: submission.value.name })
	} catch (error) {
		if (!(error instanceof MemberChangeError)) throw error
		return data({ result: submission.reply({ fieldErrors: { name: [error.message] } }) }, { status: 400 })
	}
	return redirectWithFlash(`/org/${organisation.slug}/departments`, { type: 'success', message: `Department “${submission.value.name}” created.` })
}

export default function DepartmentsPage() {
	const { departments } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [form, fields] = useSchemaForm(CreateDepartmentSchema, { id: 'create-department', lastResult: actionData?.result })
	return (
		<section className="stack">
			<h2>Departments</h2>
			{departments.length === 0 ? (
				<p>No departments yet. Departments let managers follow their own teams.</p>
			) : (
				<DataTable columns={['Department', 'Active members']}>
					{departments.map((department) => (
						<tr key={department.id}>
							<td>{department.name}</td>
							<td>{department._count.memberships}</td>
						</tr>
					))}
				</DataTable>
			)}
			<Form method="POST" {...getFormProps(form)} className="card">
				<Field label="New department" errors={fields.name.errors} inputProps={getInputProps(fields.name, { type: 'text' })} />
				<button type="submit">Add department</button>
			</Form>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
