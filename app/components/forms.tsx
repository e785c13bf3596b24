import { type DefaultValue, type SubmissionResult, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react'
import type { z } from 'zod'

/**
 * Conform wired to the same Zod schema the action parses with: the browser checks each field
 * when it loses focus (and again as it is corrected), and the server's answer is shown as is.
 */
export function useSchemaForm<Schema extends z.ZodType<Record<string, unknown>, z.ZodTypeDef, Record<string, unknown>>>(
	schema: Schema,
	{ id, lastResult, defaultValue }: { id: string; lastResult?: SubmissionResult<string[]> | null; defaultValue?: DefaultValue<z.input<Schema>> },
) {
	return useForm<z.input<Schema>, z.output<Schema>>({
		id,
		lastResult,
		defaultValue,
		constraint: getZodConstraint(schema),
		onValidate: ({ formData }) => parseWithZod(formData, { schema }),
		shouldValidate: 'onBlur',
		shouldRevalidate: 'onInput',
	})
}

export type ListOfErrors = Array<string | null | undefined> | null | undefined

export function ErrorList({ id, errors }: { id?: string; errors?: ListOfErrors }) {
	const messages = errors?.filter(Boolean)
	if (!messages?.length) return null
	return (
		<ul id={id} className="error-list">
			{messages.map((message) => (
				<li key={message}>{message}</li>
			))}
		</ul>
	)
}

/** A labelled input with its hint and errors wired up for screen readers. */
export function Field({
	label,
	hint,
	errors,
	inputProps,
}: {
	label: ReactNode
	hint?: ReactNode
	errors?: ListOfErrors
	inputProps: InputHTMLAttributes<HTMLInputElement> & { id: string }
}) {
	const errorId = errors?.length ? `${inputProps.id}-error` : undefined
	const hintId = hint ? `${inputProps.id}-hint` : undefined
	return (
		<div className="field">
			<label htmlFor={inputProps.id}>{label}</label>
			{hint ? (
				<span id={hintId} className="field-hint">
					{hint}
				</span>
			) : null}
			<input
				{...inputProps}
				aria-invalid={errorId ? true : undefined}
				aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
			/>
			<ErrorList id={errorId} errors={errors} />
		</div>
	)
}

export function SelectField({
	label,
	errors,
	selectProps,
	children,
}: {
	label: ReactNode
	errors?: ListOfErrors
	selectProps: SelectHTMLAttributes<HTMLSelectElement> & { id: string }
	children: ReactNode
}) {
	const errorId = errors?.length ? `${selectProps.id}-error` : undefined
	return (
		<div className="field">
			<label htmlFor={selectProps.id}>{label}</label>
			<select {...selectProps} aria-invalid={errorId ? true : undefined} aria-describedby={errorId}>
				{children}
			</select>
			<ErrorList id={errorId} errors={errors} />
		</div>
	)
}
