import { formatCount, formatPercent, type StatementFigures } from '#app/modules/compliance/statement.ts'
import { formatDate } from '#app/utils/format-date.ts'

/**
 * The statement as printed and as verified; the PDF (statement-pdf.server.ts) lays out the same
 * figures. Everything shown is what was stored when it was issued.
 */
export function StatementCard({ statement, verifyUrl }: { statement: StatementFigures; verifyUrl?: string }) {
	const issuedOn = formatDate(statement.issuedAt)
	return (
		<article className="statement" aria-labelledby="statement-title">
			<p className="certificate-brand">Bulwark</p>
			<h2 id="statement-title" className="flush-top">
				Training compliance statement
			</h2>
			<p className="statement-organisation">{statement.organisationName}</p>
			<p className="muted">
				Security-awareness training as of <time dateTime={new Date(statement.issuedAt).toISOString()}>{issuedOn}</time> (UTC)
			</p>
			<p className="statement-summary">
				<span className="stat-value">{formatPercent(statement.percentCompliant)}</span> of members compliant
			</p>
			<p>
				{formatCount(statement.compliant)} of {formatCount(statement.members)} {statement.members === 1 ? 'member meets' : 'members meet'} every training requirement that
				applies to them. A member counts as compliant while their completion is valid, including when its renewal is due soon.
			</p>
			{statement.requirements.length === 0 ? (
				<p>No training requirement was active on {issuedOn}.</p>
			) : (
				<table className="statement-table">
					<caption className="visually-hidden">Compliance per requirement on {issuedOn}</caption>
					<thead>
						<tr>
							<th scope="col">Requirement</th>
							<th scope="col">For</th>
							<th scope="col" className="numeric">
								Compliant
							</th>
							<th scope="col" className="numeric">
								Members
							</th>
							<th scope="col" className="numeric">
								%
							</th>
						</tr>
					</thead>
					<tbody>
						{statement.requirements.map((requirement, index) => (
							<tr key={index}>
								<th scope="row">{requirement.courseTitle}</th>
								<td>{requirement.audience}</td>
								<td className="numeric">{formatCount(requirement.compliant)}</td>
								<td className="numeric">{formatCount(requirement.members)}</td>
								<td className="numeric">{formatPercent(requirement.percentCompliant)}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			<p className="muted small">Percentages are rounded down, so one member who is not compliant never reads as 100 %.</p>
			<p className="certificate-code">
				Statement {statement.code}
				{verifyUrl ? (
					<>
						<br />
						<span className="muted small">Check these figures at {verifyUrl}</span>
					</>
				) : null}
			</p>
		</article>
	)
}
