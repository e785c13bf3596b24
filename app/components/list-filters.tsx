import { Form, useSearchParams } from '@remix-run/react'
import type { ReactNode } from 'react'

/**
 * A list's search and filters: a GET form, so the filtered list is a URL to bookmark or share.
 * Keyed on the query so its fields follow the URL on back and forward.
 */
export function ListFilters({ query, children }: { query: Record<string, unknown>; children: ReactNode }) {
	return (
		<Form method="GET" className="inline-form filters" key={JSON.stringify(query)}>
			{children}
			<button type="submit">Show</button>
		</Form>
	)
}

export function SearchFilter({ id, label, value }: { id: string; label: string; value: string }) {
	return (
		<div className="field field-search">
			<label htmlFor={id}>{label}</label>
			<input id={id} type="search" name="q" defaultValue={value} maxLength={100} />
		</div>
	)
}

/** A select whose empty first choice ("Any …") means no filter; `anyLabel` null leaves that choice out. */
export function SelectFilter({
	id,
	name,
	label,
	value,
	anyLabel,
	options,
}: {
	id: string
	name: string
	label: string
	value: string | null | undefined
	anyLabel: string | null
	options: readonly { value: string; label: string }[]
}) {
	return (
		<div className="field">
			<label htmlFor={id}>{label}</label>
			<select id={id} name={name} defaultValue={value ?? ''}>
				{anyLabel === null ? null : <option value="">{anyLabel}</option>}
				{options.map((option) => (
					<option key={option.value} value={option.value}>
						{option.label}
					</option>
				))}
			</select>
		</div>
	)
}

/** The filter by department every member list offers. */
export function DepartmentFilter({ value, departments }: { value: string | null | undefined; departments: readonly { id: string; name: string }[] }) {
	return (
		<SelectFilter
			id="member-department"
			name="department"
			label="Department"
			value={value}
			anyLabel="Any department"
			options={departments.map((department) => ({ value: department.id, label: department.name }))}
		/>
	)
}

/** How many members match a list's filters, and which page this is, announced to screen readers. */
export function MemberCount({ total, page, pageCount }: { total: number; page: number; pageCount: number }) {
	return (
		<p className="muted" role="status">
			{total === 1 ? '1 member' : `${total} members`}
			{pageCount > 1 ? ` · page ${page} of ${pageCount}` : ''}
		</p>
	)
}

/** Turns a label map (`{ OVERDUE: 'Overdue' }`) into a select's options. */
export const optionsOf = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }))

/** The current URL with `changes` to its query (null drops a parameter): the same search, filters and page otherwise. */
export function useQueryHref() {
	const [searchParams] = useSearchParams()
	return (changes: Record<string, string | null>) => {
		const next = new URLSearchParams(searchParams)
		for (const [name, value] of Object.entries(changes)) {
			if (value === null) next.delete(name)
			else next.set(name, value)
		}
		return `?${next}`
	}
}
