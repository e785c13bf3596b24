import type { ReactNode } from 'react'

/**
 * A table of records with a heading row, scrolling sideways on small screens. `caption` names it
 * for screen readers (and tests that find it by name); the rows are the children.
 */
export function DataTable({ caption, columns, children, className }: { caption?: string; columns: ReactNode[]; children: ReactNode; className?: string }) {
	return (
		<div className={className ? `table-wrap ${className}` : 'table-wrap'}>
			<table>
				{caption ? <caption className="visually-hidden">{caption}</caption> : null}
				<thead>
					<tr>
						{columns.map((column, index) => (
							<th key={index} scope="col">
								{column}
							</th>
						))}
					</tr>
				</thead>
				<tbody>{children}</tbody>
			</table>
		</div>
	)
}
