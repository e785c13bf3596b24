import { type FieldMetadata, getFormProps, getInputProps, getSelectProps, type SubmissionResult } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ConfirmStep } from '#app/components/confirm-step.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, SelectField, useSchemaForm } from '#app/components/forms.tsx'
import {
	adjustRequirement,
	applyBaseline,
	BASELINE,
	coursesMissingFromBaseline,
	createRequirement,
	listRequirements,
	removeRequirement,
	setRequirementPaused,
} from '#app/modules/compliance/requirements.server.ts'
import { AdjustRequirementSchema, CreateRequirementSchema, RequirementActionSchema, RequirementsQuerySchema } from '#app/modules/compliance/schemas.ts'
import { getCourseLibrary } from '#app/modules/courses/course-library.server.ts'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { listDepartments } from '#app/modules/organisations/members.server.ts'
import { canAdminister, ROLE_LABELS, ROLES } from '#app/modules/organisations/roles.ts'
import { CONFIRM_STEP_ID } from '#app/utils/form-fields.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'
import { formatDate } from '#app/utils/format-date.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { notFound } from '#app/utils/http.server.ts'
import { listUrlWith, readListQuery } from '#app/utils/list-query.server.ts'

const adminOnly = { allow: canAdminister, forbiddenMessage: 'Only admins can manage training requirements.' }

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireMembership(request, params.slug, adminOnly)
	const query = readListQuery(request, RequirementsQuerySchema)
	const [requirements, departments, { courses }] = await Promise.all([
		listRequirements(organisation.id),
		listDepartments(organisation.id),
		getCourseLibrary(),
	])
	return {
		requirements,
		courses: courses.map((course) => ({ slug: course.slug, title: course.variants.en.title, free: course.facts.free })),
		baseline: BASELINE,
		baselineCourses: coursesMissingFromBaseline(
			courses,
			requirements.map((requirement) => requirement.courseSlug),
		).map((course) => course.variants.en.title),
		departments: departments.map(({ id, name }) => ({ id, name })),
		confirmRemoval: query.remove ? requirementToConfirm(requirements, query.remove) : null,
	}
}

function requirementToConfirm(requirements: { id: string; label: string }[], requirementId: string) {
	const requirement = requirements.find((candidate) => candidate.id === requirementId)
	if (!requirement) throw notFound('That requirement is not in this organisation. It may have been removed already.')
	return { id: requirement.id, label: requirement.label }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { organisation, user } = await requireMembership(request, params.slug, adminOnly)
	const formData = await readForm(request)
	const intent = readIntent(formData, ['create', 'adjust', 'pause', 'resume', 'remove', 'apply-baseline'])
	const { courses, bySlug } = await getCourseLibrary()
	const back = `/org/${organisation.slug}/requirements`
	const scope = { organisationId: organisation.id, actorId: user.id }

	if (intent === 'create') {
		const submission = parseSubmission(formData, CreateRequirementSchema)
		if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
		const course = bySlug.get(submission.value.courseSlug)
		if (!course) return data({ result: submission.reply({ fieldErrors: { courseSlug: ['Choose a course from the list'] } }) }, { status: 400 })
		await createRequirement({ ...scope, requirement: { ...submission.value, course } })
		return redirectWithFlash(back, { type: 'success', message: `“${course.variants.en.title}” is now required.` })
	}

	if (intent === 'adjust') {
		const submission = parseSubmission(formData, AdjustRequirementSchema)
		if (submission.status !== 'success') return data({ result: submission.reply(), adjusted: formData.get('requirementId') }, { status: 400 })
		await adjustRequirement({ ...scope, ...submission.value })
		return redirectWithFlash(back, { type: 'success', message: 'Requirement adjusted.' })
	}

	const submission = parseSubmission(formData, RequirementActionSchema)
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const change = submission.value
	switch (change.intent) {
		case 'apply-baseline': {
			const added = await applyBaseline({ ...scope, courses })
			const message = added > 0 ? `Baseline applied: ${added} free module${added === 1 ? '' : 's'} now required of everyone.` : 'Every free module is already required.'
			return redirectWithFlash(back, { type: 'success', message })
		}
		case 'pause':
		case 'resume':
			await setRequirementPaused({ ...scope, requirementId: change.requirementId, paused: change.intent === 'pause' })
			return redirectWithFlash(back, { type: 'success', message: change.intent === 'pause' ? 'Requirement paused.' : 'Requirement resumed.' })
		case 'remove':
			// A removal that did not come through the confirmation step goes to it, unchanged.
			if (!change.confirmed) return redirect(`${listUrlWith(request, { remove: change.requirementId })}#${CONFIRM_STEP_ID}`)
			await removeRequirement({ ...scope, requirementId: change.requirementId })
			return redirectWithFlash(back, { type: 'success', message: 'Requirement removed.' })
	}
}

function RequirementButton({ requirementId, intent, label }: { requirementId: string; intent: string; label: string }) {
	return (
		<Form method="POST" className="inline-form">
			<input type="hidden" name="requirementId" value={requirementId} />
			<button type="submit" name="intent" value={intent} className="button-secondary">
				{label}
			</button>
		</Form>
	)
}

/** How long members have and how often they renew: the create and adjust forms ask alike. */
function TermsFields({ dueWithinDays, recurrenceMonths }: { dueWithinDays: FieldMetadata<number>; recurrenceMonths: FieldMetadata<unknown> }) {
	return (
		<>
			<Field label="Days to complete it" errors={dueWithinDays.errors} inputProps={getInputProps(dueWithinDays, { type: 'number' })} />
			<Field
				label="Renew every (months)"
				hint="Leave empty to use the course’s own validity."
				errors={recurrenceMonths.errors}
				inputProps={getInputProps(recurrenceMonths, { type: 'number' })}
			/>
		</>
	)
}

type Requirement = ReturnType<typeof useLoaderData<typeof loader>>['requirements'][number]

/** Days and recurrence, changed in place. */
function AdjustRequirement({ requirement, lastResult }: { requirement: Requirement; lastResult?: SubmissionResult<string[]> }) {
	const [form, fields] = useSchemaForm(AdjustRequirementSchema, {
		id: `adjust-${requirement.id}`,
		lastResult,
		defaultValue: { dueWithinDays: String(requirement.dueWithinDays), recurrenceMonths: requirement.recurrenceMonths ? String(requirement.recurrenceMonths) : '' },
	})
	return (
		<details className="adjust" open={Boolean(lastResult)}>
			<summary>
				Adjust<span className="visually-hidden"> {requirement.courseTitle}</span>
			</summary>
			<Form method="POST" {...getFormProps(form)}>
				<input type="hidden" name="intent" value="adjust" />
				<input type="hidden" name="requirementId" value={requirement.id} />
				<TermsFields dueWithinDays={fields.dueWithinDays} recurrenceMonths={fields.recurrenceMonths} />
				<button type="submit" className="button-small">
					Save
				</button>
			</Form>
		</details>
	)
}

export default function RequirementsPage() {
	const { requirements, courses, baseline, baselineCourses, departments, confirmRemoval } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const adjusted = actionData && 'adjusted' in actionData ? actionData.adjusted : null
	const [form, fields] = useSchemaForm(CreateRequirementSchema, {
		id: 'create-requirement',
		lastResult: adjusted ? undefined : actionData?.result,
		defaultValue: { audience: 'EVERYONE', dueWithinDays: '30' },
	})
	return (
		<section className="stack">
			<h2>Training requirements</h2>
			<p>
				Each requirement names a course, who must complete it, how many days they have from when it applies to them (their joining, their move
				into the department or role, or the requirement’s creation), and how often they renew it.
			</p>

			{confirmRemoval ? (
				<ConfirmStep
					title={`Remove “${confirmRemoval.label}”?`}
					fields={{ intent: 'remove', requirementId: confirmRemoval.id }}
					confirmLabel="Remove requirement"
					cancelHref="."
				>
					<p>
						Nobody needs to complete it any more and it leaves the compliance figures; completions and certificates stay. To stop it for a while
						instead, pause it.
					</p>
				</ConfirmStep>
			) : null}

			{baselineCourses.length > 0 ? (
				<Form method="POST" className="card stack">
					<h3 className="flush-top">Start with the baseline</h3>
					<p className="flush">
						Everyone completes the free modules ({baselineCourses.join(', ')}) within {baseline.dueWithinDays} days, every {baseline.recurrenceMonths}{' '}
						months. You can adjust or remove each afterwards.
					</p>
					<div>
						<button type="submit" name="intent" value="apply-baseline">
							Apply the baseline
						</button>
					</div>
				</Form>
			) : null}

			{requirements.length === 0 ? (
				<p>No training is required yet.</p>
			) : (
				<DataTable caption="Training requirements" columns={['Course', 'For', 'Complete within', 'Renew every', 'Since', 'Actions']}>
					{requirements.map((requirement) => (
						<tr key={requirement.id}>
							<th scope="row">
								{requirement.courseTitle}
								{requirement.pausedAt ? (
									<>
										{' '}
										<span className="badge">Paused</span>
									</>
								) : null}
							</th>
							<td>{requirement.audienceLabel}</td>
							<td>{requirement.dueWithinDays} days</td>
							<td>{requirement.renewEveryMonths ? `${requirement.renewEveryMonths} months` : 'Course validity'}</td>
							<td>{formatDate(requirement.createdAt)}</td>
							<td className="actions">
								{requirement.pausedAt ? (
									<RequirementButton requirementId={requirement.id} intent="resume" label="Resume" />
								) : (
									<RequirementButton requirementId={requirement.id} intent="pause" label="Pause" />
								)}
								<Link to={`?remove=${requirement.id}#${CONFIRM_STEP_ID}`} className="button button-danger">
									Remove<span className="visually-hidden"> {requirement.courseTitle}</span>
								</Link>
								<AdjustRequirement requirement={requirement} lastResult={adjusted === requirement.id ? actionData?.result : undefined} />
							</td>
						</tr>
					))}
				</DataTable>
			)}

			<Form method="POST" {...getFormProps(form)} className="card stack">
				<h3 className="flush-top">Require a course</h3>
				<input type="hidden" name="intent" value="create" />
				<SelectField label="Course" errors={fields.courseSlug.errors} selectProps={getSelectProps(fields.courseSlug)}>
					<option value="">Choose a course</option>
					{courses.map((course) => (
						<option key={course.slug} value={course.slug}>
							{course.title}
							{course.free ? ' (free)' : ''}
						</option>
					))}
				</SelectField>
				<fieldset>
					<legend>Who must complete it</legend>
					{(
						[
							['EVERYONE', 'Everyone'],
							['DEPARTMENTS', 'Given departments'],
							['ROLES', 'Given roles'],
						] as const
					).map(([value, label]) => (
						<label key={value} className="choice">
							<input type="radio" name={fields.audience.name} value={value} defaultChecked={fields.audience.initialValue === value} /> {label}
						</label>
					))}
					<ErrorList errors={fields.audience.errors} />
				</fieldset>
				<fieldset>
					<legend>Departments (with “Given departments”)</legend>
					{departments.length === 0 ? <p className="muted flush">This organisation has no departments yet.</p> : null}
					{departments.map((department) => (
						<label key={department.id} className="choice">
							<input type="checkbox" name={fields.departmentIds.name} value={department.id} /> {department.name}
						</label>
					))}
					<ErrorList errors={fields.departmentIds.errors} />
				</fieldset>
				<fieldset>
					<legend>Roles (with “Given roles”)</legend>
					{ROLES.map((role) => (
						<label key={role} className="choice">
							<input type="checkbox" name={fields.roles.name} value={role} /> {ROLE_LABELS[role]}s
						</label>
					))}
					<ErrorList errors={fields.roles.errors} />
				</fieldset>
				<TermsFields dueWithinDays={fields.dueWithinDays} recurrenceMonths={fields.recurrenceMonths} />
				<ErrorList errors={form.errors} />
				<div>
					<button type="submit">Add requirement</button>
				</div>
			</Form>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
