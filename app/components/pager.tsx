import { Link } from '@remix-run/react'

/** Previous and next links around "Page n of m"; nothing when everything fits on one page. */
export function Pager({
	label,
	page,
	pageCount,
	hrefFor = (target) => `?page=${target}`,
	previous = 'Previous',
	next = 'Next',
}: {
	label: string
	page: number
	pageCount: number
	hrefFor?: (page: number) => string
	previous?: string
	next?: string
}) {
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
