import { getFormProps, getInputProps, type SubmissionResult } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { ErrorList, Field, useSchemaForm } from '#app/components/forms.tsx'
import { PASSWORD_MIN_LENGTH, ResetPasswordSchema } from '#app/modules/auth/schemas.ts'

/**
 * The new-password form. It posts to /reset-password with the token in the body: the emailed
 * link is the only URL that ever holds it (docs/decisions/028).
 */
export function ResetPasswordForm({ token, lastResult }: { token?: string; lastResult?: SubmissionResult<string[]> | null }) {
	const navigation = useNavigation()
	const [form, fields] = useSchemaForm(ResetPasswordSchema, { id: 'reset-password', lastResult, defaultValue: token ? { token } : undefined })
	return (
		<Form method="POST" action="/reset-password" {...getFormProps(form)}>
			<input {...getInputProps(fields.token, { type: 'hidden' })} />
			<Field
				label="New password"
				hint={`At least ${PASSWORD_MIN_LENGTH} characters. A passphrase of a few unrelated words is strong and easy to remember.`}
				errors={fields.password.errors}
				inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'new-password' }}
			/>
			<Field
				label="Repeat the new password"
				errors={fields.confirmPassword.errors}
				inputProps={{ ...getInputProps(fields.confirmPassword, { type: 'password' }), autoComplete: 'new-password' }}
			/>
			<ErrorList id={form.errorId} errors={form.errors} />
			<button type="submit" disabled={navigation.state === 'submitting'}>
				Set new password
			</button>
		</Form>
	)
}
