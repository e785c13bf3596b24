import { Link } from '@remix-run/react'
import { useQueryHref } from './list-filters.tsx'

/** Previous and next links around "Page n of m", keeping the list's search and filters; nothing when everything fits on one page. */
export function Pager({
	label,
	page,
	pageCount,
	previous = 'Previous',
	next = 'Next',
}: {
	label: string
	page: number
	pageCount: number
	previous?: string
	next?: string
}) {
	const queryHref = useQueryHref()
	const hrefFor = (target: number) => queryHref({ page: String(target) })
	if (pageCount <= 1) return null
	return (
		<nav aria-label={label} className="actions">
			{page > 1 ? <Link to={hrefFor(page - 1)}>{previous}</Link> : null}
			<span>
				Page {page} of {pageCount}
			</span>
			{page < pageCount ? <Link to={hrefFor(page + 1)}>{next}</Link> : null}
		</nav>
	)
}
