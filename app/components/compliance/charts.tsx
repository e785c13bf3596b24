import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { REQUIREMENT_STATUSES, type RequirementStatus, STATUS_LABELS, type StatusCounts } from '#app/modules/compliance/status.ts'
import { useHydrated } from '#app/utils/use-hydrated.ts'

/** Bar colours per status; SVG fill attributes cannot read CSS variables. */
const STATUS_COLOURS: Record<RequirementStatus, string> = {
	OVERDUE: '#b91c1c',
	DUE: '#d97706',
	EXPIRING: '#2563eb',
	COMPLIANT: '#15803d',
}

// Charts draw in the browser only (useHydrated): recharts writes inline style attributes, which
// the server's Content-Security-Policy (style-src 'self') refuses in HTML, while styles a script
// sets are allowed. Until then, and for screen readers (the charts are hidden from them), the
// table under each chart carries the figures.

export type StatusRow = { label: string; counts: StatusCounts }

/** Members by status, one stacked bar per row (a department or a requirement). */
export function StatusBarChart({ rows }: { rows: StatusRow[] }) {
	const hydrated = useHydrated()
	const height = Math.max(160, rows.length * 36 + 60)
	return (
		<figure className="chart" aria-hidden="true">
			<div className="chart-canvas">
				{hydrated ? (
					<ResponsiveContainer width="100%" height={height}>
						<BarChart data={rows.map((row) => ({ label: row.label, ...row.counts }))} layout="vertical" margin={{ left: 16, right: 16 }}>
							<CartesianGrid strokeDasharray="3 3" horizontal={false} />
							<XAxis type="number" allowDecimals={false} />
							<YAxis type="category" dataKey="label" width={180} />
							<Tooltip />
							<Legend />
							{REQUIREMENT_STATUSES.map((status) => (
								<Bar key={status} dataKey={status} name={STATUS_LABELS[status]} stackId="members" fill={STATUS_COLOURS[status]} isAnimationActive={false} />
							))}
						</BarChart>
					</ResponsiveContainer>
				) : null}
			</div>
		</figure>
	)
}

export type TrendPoint = { day: string; percent: number | null }

/** % compliant per recorded day. */
export function TrendChart({ points }: { points: TrendPoint[] }) {
	const hydrated = useHydrated()
	return (
		<figure className="chart" aria-hidden="true">
			<div className="chart-canvas chart-canvas-trend">
				{hydrated ? (
					<ResponsiveContainer width="100%" height={240}>
						<LineChart data={points} margin={{ left: 0, right: 16, top: 8 }}>
							<CartesianGrid strokeDasharray="3 3" />
							<XAxis dataKey="day" minTickGap={40} />
							<YAxis domain={[0, 100]} unit=" %" width={56} />
							<Tooltip formatter={(value) => [`${value} %`, 'Compliant']} />
							<Line type="monotone" dataKey="percent" name="Compliant" stroke={STATUS_COLOURS.COMPLIANT} dot={false} isAnimationActive={false} />
						</LineChart>
					</ResponsiveContainer>
				) : null}
			</div>
		</figure>
	)
}
