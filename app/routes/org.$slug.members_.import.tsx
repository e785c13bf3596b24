import { getFormProps, getInputProps } from '@conform-to/react'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DataTable } from '#app/components/data-table.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, Field, useSchemaForm } from '#app/components/forms.tsx'
import { HEADER_NAMES, IMPORT_COLUMN_HELP, IMPORT_COLUMNS, IMPORT_LIMITS, IMPORT_MESSAGES, ROLE_NAMES } from '#app/modules/organisations/member-import.ts'
import { decodeCsv } from '#app/modules/organisations/member-import-csv.server.ts'
import {
	applyMemberImport,
	ImportChangedError,
	type ImportPreview,
	type ImportReview,
	refusedReview,
	reviewMemberImport,
} from '#app/modules/organisations/member-import.server.ts'
import { MemberChangeError } from '#app/modules/organisations/members.server.ts'
import { requireMembership } from '#app/modules/organisations/membership.server.ts'
import { canAdminister, ROLE_LABELS, ROLES } from '#app/modules/organisations/roles.ts'
import { ImportApplySchema, ImportUploadSchema } from '#app/modules/organisations/schemas.ts'
import { isEmailConfigured } from '#app/utils/email.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { redirectWithFlash } from '#app/utils/flash.server.ts'
import { parseSubmission, readForm, readIntent } from '#app/utils/form-submission.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Import members · Bulwark' }]

const adminOnly = { allow: canAdminister, forbiddenMessage: 'Only admins can import members.' }

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { organisation } = await requireMembership(request, params.slug, adminOnly)
	return { slug: organisation.slug, maxRows: IMPORT_LIMITS.rows, maxMebibytes: Math.floor(getEnv().MAX_IMPORT_BYTES / 1024 / 1024) }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { organisation, user, membership } = await requireMembership(request, params.slug, adminOnly)
	const formData = await readForm(request)
	const importer = { organisationId: organisation.id, actorMembershipId: membership.id }

	if (readIntent(formData, ['preview', 'apply']) === 'preview') {
		const submission = parseSubmission(formData, ImportUploadSchema)
		if (submission.status !== 'success') return data({ result: submission.reply(), review: null, applied: null }, { status: 400 })
		const { file, deactivateMissing } = submission.value
		const maxBytes = getEnv().MAX_IMPORT_BYTES
		if (file.size > maxBytes) throw data({ message: IMPORT_MESSAGES.fileTooLarge(maxBytes) }, { status: 413 })
		const decoded = decodeCsv(new Uint8Array(await file.arrayBuffer()))
		const result = decoded.ok ? await reviewMemberImport({ ...importer, text: decoded.text, deactivateMissing }) : refusedReview([decoded.problem])
		return data({ result: submission.reply(), review: result, applied: null }, { status: result.problemCount ? 400 : 200 })
	}

	const submission = parseSubmission(formData, ImportApplySchema)
	if (submission.status !== 'success') return data({ result: submission.reply(), review: null, applied: null }, { status: 400 })
	const { csv, fingerprint, deactivateMissing } = submission.value
	let applied: Awaited<ReturnType<typeof applyMemberImport>>
	try {
		applied = await applyMemberImport({
			...importer,
			actorId: user.id,
			text: csv,
			deactivateMissing,
			fingerprint,
			origin: getAppOrigin(request, getEnv().APP_URL),
		})
	} catch (error) {
		if (error instanceof ImportChangedError) {
			return data({ result: submission.reply(), review: await reviewMemberImport({ ...importer, text: csv, deactivateMissing, notice: error.message }), applied: null }, { status: 409 })
		}
		if (!(error instanceof MemberChangeError)) throw error
		return data({ result: submission.reply({ formErrors: [error.message] }), review: null, applied: null }, { status: 400 })
	}
	const counts = { invited: applied.invited.length, changed: applied.changed, deactivated: applied.deactivated }
	if (isEmailConfigured()) {
		return redirectWithFlash(`/org/${organisation.slug}/members`, {
			type: 'success',
			message: `Import applied: ${counts.invited} invited, ${counts.changed} updated, ${counts.deactivated} deactivated. The invitations are queued in the outbox and sent shortly.`,
		})
	}
	// Without mail the links are shown once, right now, as with a single invitation: the outbox keeps them encrypted.
	return data({ result: submission.reply({ resetForm: true }), review: null, applied: { ...counts, links: applied.invited } })
}

function ColumnHelp() {
	return (
		<>
			<DataTable caption="Columns the file may have" columns={['Column', 'Header names accepted', 'Values']}>
				{IMPORT_COLUMNS.map((column) => (
					<tr key={column}>
						<td>{IMPORT_COLUMN_HELP[column].label}</td>
						<td>{HEADER_NAMES[column].join(', ')}</td>
						<td>{IMPORT_COLUMN_HELP[column].values}</td>
					</tr>
				))}
			</DataTable>
			<DataTable caption="Role values accepted" columns={['Role', 'Values accepted']}>
				{ROLES.map((role) => (
					<tr key={role}>
						<td>{ROLE_LABELS[role]}</td>
						<td>{ROLE_NAMES[role].join(', ')}</td>
					</tr>
				))}
			</DataTable>
		</>
	)
}

function UploadForm({ deactivateMissing }: { deactivateMissing: boolean }) {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useSchemaForm(ImportUploadSchema, { id: 'import-upload', lastResult: actionData?.result, defaultValue: { deactivateMissing } })
	return (
		<Form method="POST" encType="multipart/form-data" {...getFormProps(form)} className="card">
			<input type="hidden" name="intent" value="preview" />
			<Field label="CSV file" inputProps={{ ...getInputProps(fields.file, { type: 'file' }), accept: '.csv,text/csv' }} errors={fields.file.errors} />
			<label className="choice">
				<input {...getInputProps(fields.deactivateMissing, { type: 'checkbox' })} /> Deactivate active members who are not in the file
			</label>
			<ErrorList id={form.errorId} errors={form.errors} />
			<button type="submit" disabled={navigation.state === 'submitting'}>
				Preview import
			</button>
		</Form>
	)
}

function Problems({ review }: { review: ImportReview }) {
	return (
		<div role="alert" className="form-error">
			<p>
				{review.problemCount === 1 ? 'The file cannot be imported: 1 problem.' : `The file cannot be imported: ${review.problemCount} problems.`} Nothing was
				changed. Correct the file and upload it again.
			</p>
			<ul className="error-list">
				{review.problems.map((problem, index) => (
					<li key={index}>{problem.line === null ? problem.message : `Line ${problem.line}: ${problem.message}`}</li>
				))}
			</ul>
			{review.problemCount > review.problems.length ? <p>The first {review.problems.length} are listed.</p> : null}
		</div>
	)
}

function MoreThanListed({ shown, total }: { shown: number; total: number }) {
	return total > shown ? <p className="muted">The first {shown} of {total} are listed.</p> : null
}

const departmentOrNone = (name: string | null) => name ?? 'No department'

function PreviewSections({ preview }: { preview: ImportPreview }) {
	const { counts } = preview
	return (
		<>
			<h3>Invitations ({counts.invitations})</h3>
			{counts.invitations ? (
				<>
					<DataTable caption="People who will be invited" columns={['Line', 'Email', 'Name', 'Role', 'Department']}>
						{preview.invitations.map((invitation) => (
							<tr key={invitation.email}>
								<td>{invitation.line}</td>
								<td>
									{invitation.email}
									{invitation.replacesOpenInvitation ? <span className="muted"> (replaces an open invitation)</span> : null}
								</td>
								<td>{invitation.name ?? '—'}</td>
								<td>{ROLE_LABELS[invitation.role]}</td>
								<td>{departmentOrNone(invitation.department)}</td>
							</tr>
						))}
					</DataTable>
					<MoreThanListed shown={preview.invitations.length} total={counts.invitations} />
				</>
			) : (
				<p className="muted">Nobody new to invite.</p>
			)}
			<h3>Changes to members ({counts.changes})</h3>
			{counts.changes ? (
				<>
					<DataTable caption="Members whose role or department changes" columns={['Line', 'Member', 'Role', 'Department']}>
						{preview.changes.map((change) => (
							<tr key={change.email}>
								<td>{change.line}</td>
								<td>
									{change.name} <span className="muted">{change.email}</span>
								</td>
								<td>{change.role.from === change.role.to ? ROLE_LABELS[change.role.to] : `${ROLE_LABELS[change.role.from]} → ${ROLE_LABELS[change.role.to]}`}</td>
								<td>
									{change.department.from === change.department.to
										? departmentOrNone(change.department.to)
										: `${departmentOrNone(change.department.from)} → ${departmentOrNone(change.department.to)}`}
								</td>
							</tr>
						))}
					</DataTable>
					<MoreThanListed shown={preview.changes.length} total={counts.changes} />
				</>
			) : (
				<p className="muted">No member’s role or department changes.</p>
			)}
			{counts.unchanged ? <p className="muted">{counts.unchanged} members in the file stay as they are.</p> : null}
			<h3>New departments ({counts.newDepartments})</h3>
			{counts.newDepartments ? (
				<ul>
					{preview.newDepartments.map((name) => (
						<li key={name}>{name}</li>
					))}
				</ul>
			) : (
				<p className="muted">No new departments.</p>
			)}
			<h3>{preview.deactivateMissing ? `Members to deactivate (${counts.missing})` : `Members not in the file (${counts.missing})`}</h3>
			{counts.missing ? (
				<>
					<p className="muted">
						{preview.deactivateMissing
							? 'These active members are not in the file and will be deactivated: they can no longer open this organisation.'
							: 'These active members are not in the file. They stay active; to deactivate them, tick the box above and preview again.'}
					</p>
					<DataTable caption={preview.deactivateMissing ? 'Members who will be deactivated' : 'Members not in the file'} columns={['Member', 'Email', 'Role']}>
						{preview.missing.map((member) => (
							<tr key={member.email}>
								<td>{member.name}</td>
								<td>{member.email}</td>
								<td>{ROLE_LABELS[member.role]}</td>
							</tr>
						))}
					</DataTable>
					<MoreThanListed shown={preview.missing.length} total={counts.missing} />
				</>
			) : (
				<p className="muted">Every active member is in the file.</p>
			)}
		</>
	)
}

function ApplyForm({ preview, csv }: { preview: ImportPreview; csv: string }) {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form] = useSchemaForm(ImportApplySchema, { id: 'import-apply', lastResult: actionData?.result })
	const { counts } = preview
	const nothingToDo = counts.invitations + counts.changes + counts.newDepartments + (preview.deactivateMissing ? counts.missing : 0) === 0
	return (
		<Form method="POST" encType="multipart/form-data" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="apply" />
			<input type="hidden" name="csv" value={csv} />
			<input type="hidden" name="fingerprint" value={preview.fingerprint} />
			<input type="hidden" name="deactivateMissing" value={String(preview.deactivateMissing)} />
			<ErrorList id={form.errorId} errors={form.errors} />
			{nothingToDo ? <p>The file matches the organisation as it is: there is nothing to import.</p> : null}
			<button type="submit" disabled={nothingToDo || navigation.state === 'submitting'}>
				Apply import
			</button>
		</Form>
	)
}

/** After an import without mail: the invitation links, shown once, to pass on by hand. */
function InvitationLinks({ applied, slug }: { applied: { invited: number; changed: number; deactivated: number; links: Array<{ email: string; link: string }> }; slug: string }) {
	const lines = ['email,link', ...applied.links.map(({ email, link }) => `${email},${link}`)].join('\n')
	return (
		<div role="status" className="card stack">
			<p>
				Import applied: {applied.invited} invited, {applied.changed} updated, {applied.deactivated} deactivated. Email is not configured, so the
				invitations wait in the <Link to={`/org/${slug}/outbox`}>outbox</Link>.
			</p>
			{applied.links.length ? (
				<>
					<p>
						Send each person their link yourself. The links work once, expire in 7 days and are shown only now: copy them before you leave this page.
					</p>
					<label htmlFor="invitation-links">Invitation links (email, link)</label>
					<textarea id="invitation-links" readOnly rows={Math.min(12, applied.links.length + 1)} value={lines} onFocus={(event) => event.currentTarget.select()} />
				</>
			) : null}
		</div>
	)
}

export default function MemberImportPage() {
	const { slug, maxRows, maxMebibytes } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const review = actionData?.review ?? null
	const applied = actionData && 'applied' in actionData ? actionData.applied : null
	return (
		<section className="stack" aria-labelledby="import-title">
			<h2 id="import-title">Import members from a CSV file</h2>
			<p>
				One row per person, the column names in the first row. Comma- or semicolon-separated, UTF-8 (Excel: “CSV UTF-8”), at most{' '}
				{maxRows.toLocaleString('en-GB')} rows and {maxMebibytes} MiB. You see what would change before anything is changed; an empty cell changes nothing.
			</p>
			<details>
				<summary>Columns and the names they may have</summary>
				<ColumnHelp />
			</details>
			{applied ? <InvitationLinks applied={applied} slug={slug} /> : null}
			<UploadForm deactivateMissing={review?.preview?.deactivateMissing ?? false} />
			{review?.notice ? (
				<p role="alert" className="form-error">
					{review.notice}
				</p>
			) : null}
			{review?.problemCount ? <Problems review={review} /> : null}
			{review?.preview ? (
				<section aria-labelledby="preview-title" className="stack">
					<h2 id="preview-title">Preview</h2>
					{review.ignoredColumns.length ? <p className="muted">Columns not used: {review.ignoredColumns.join(', ')}.</p> : null}
					<PreviewSections preview={review.preview} />
					{review.csv ? <ApplyForm preview={review.preview} csv={review.csv} /> : null}
				</section>
			) : null}
			<p>
				<Link to={`/org/${slug}/members`}>Back to the members</Link>
			</p>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
