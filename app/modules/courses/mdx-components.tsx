import { Children, createContext, isValidElement, type ReactNode, useContext, useId } from 'react'
import type { Language } from './course-schema.ts'

/**
 * The components course authors use in MDX (documented in courses/README.md). Lessons are
 * rendered to static HTML once, when the course is compiled, so these components must work
 * without JavaScript in the browser: the interactive ones reveal their feedback with radio
 * buttons and CSS (see app/styles/app.css). The graded quiz is not one of them: `<Quiz />` only
 * marks where the lesson page renders the server-graded quiz form.
 */

const LABELS = {
	en: {
		keyTakeaways: 'Key takeaways',
		scenario: 'Scenario',
		scenarioQuestion: 'What do you do?',
		best: 'Good call.',
		risky: 'Risky.',
		email: 'Inspect this email',
		from: 'From',
		to: 'To',
		subject: 'Subject',
		date: 'Date',
		emailQuestion: 'What do you do with this email?',
		reportIt: 'Report it as phishing',
		trustIt: 'Treat it as genuine',
		rightPhishing: 'Right: this is a phishing email.',
		wrongPhishing: 'Look again: this is a phishing email.',
		rightGenuine: 'Right: this email is genuine.',
		wrongGenuine: 'Not this time: this email is genuine.',
		flagged: 'The highlighted parts of the email show what to look for.',
	},
	de: {
		keyTakeaways: 'Das Wichtigste',
		scenario: 'Szenario',
		scenarioQuestion: 'Was tun Sie?',
		best: 'Gute Entscheidung.',
		risky: 'Riskant.',
		email: 'Prüfen Sie diese E-Mail',
		from: 'Von',
		to: 'An',
		subject: 'Betreff',
		date: 'Datum',
		emailQuestion: 'Was tun Sie mit dieser E-Mail?',
		reportIt: 'Als Phishing melden',
		trustIt: 'Als echt behandeln',
		rightPhishing: 'Richtig: Das ist eine Phishing-E-Mail.',
		wrongPhishing: 'Schauen Sie noch einmal hin: Das ist eine Phishing-E-Mail.',
		rightGenuine: 'Richtig: Diese E-Mail ist echt.',
		wrongGenuine: 'Diesmal nicht: Diese E-Mail ist echt.',
		flagged: 'Die markierten Stellen der E-Mail zeigen, worauf es ankommt.',
	},
} satisfies Record<Language, Record<string, string>>

export const LessonLanguage = createContext<Language>('en')
const useLabels = () => LABELS[useContext(LessonLanguage)]

/** A component used wrongly stops the course build with this message (and the file's name). */
function authoringError(message: string): never {
	throw new Error(message)
}

const CALLOUT_TYPES = ['info', 'tip', 'warning'] as const

export function Callout({ type = 'info', title, children }: { type?: (typeof CALLOUT_TYPES)[number]; title?: string; children: ReactNode }) {
	if (!CALLOUT_TYPES.includes(type)) authoringError(`<Callout type="${type}">: type must be one of ${CALLOUT_TYPES.join(', ')}`)
	return (
		<aside className={`callout callout-${type}`}>
			{title ? <p className="callout-title">{title}</p> : null}
			{children}
		</aside>
	)
}

export function KeyTakeaways({ title, children }: { title?: string; children: ReactNode }) {
	const labels = useLabels()
	return (
		<aside className="key-takeaways">
			<h2>{title ?? labels.keyTakeaways}</h2>
			{children}
		</aside>
	)
}

/** One option of a Scenario; its children are the feedback shown once the learner picks it. */
export function Choice(_props: { label: string; best?: boolean; children: ReactNode }): ReactNode {
	return authoringError('<Choice> belongs inside a <Scenario>')
}

function RevealChoice({ group, label, verdict, children }: { group: string; label: string; verdict: ReactNode; children: ReactNode }) {
	const id = useId()
	return (
		<div className="reveal-choice">
			<input type="radio" name={group} id={id} className="reveal-input" />
			<label htmlFor={id}>{label}</label>
			<div className="reveal-feedback">
				<p className="reveal-verdict">{verdict}</p>
				{children}
			</div>
		</div>
	)
}

export function Scenario({ title, question, children }: { title: string; question?: string; children: ReactNode }) {
	const labels = useLabels()
	const group = useId()
	if (!title) authoringError('<Scenario> needs a title, like <Scenario title="The urgent invoice">')
	const parts = Children.toArray(children)
	const choices = parts.filter((part) => isValidElement(part) && part.type === Choice) as React.ReactElement<Parameters<typeof Choice>[0]>[]
	const situation = parts.filter((part) => !(isValidElement(part) && part.type === Choice))
	if (choices.length < 2) authoringError(`<Scenario title="${title}"> needs at least two <Choice> elements`)
	if (!choices.some((choice) => choice.props.best)) authoringError(`<Scenario title="${title}">: mark the best <Choice> with best`)
	for (const choice of choices) if (!choice.props.label) authoringError(`<Scenario title="${title}">: every <Choice> needs a label`)
	return (
		<section className="scenario">
			<p className="eyebrow">{labels.scenario}</p>
			<h3 className="flush-top">{title}</h3>
			{situation}
			<fieldset className="reveal-choices">
				<legend>{question ?? labels.scenarioQuestion}</legend>
				{choices.map((choice, index) => (
					<RevealChoice
						key={index}
						group={group}
						label={choice.props.label}
						verdict={<span className={choice.props.best ? 'verdict-good' : 'verdict-risky'}>{choice.props.best ? labels.best : labels.risky}</span>}
					>
						{choice.props.children}
					</RevealChoice>
				))}
			</fieldset>
		</section>
	)
}

/** A suspicious detail in an EmailMock: looks like ordinary text until the learner has answered. */
export function Flag({ note, children }: { note: string; children: ReactNode }) {
	if (!note) authoringError('<Flag> needs a note explaining what is suspicious')
	return (
		<mark className="email-flag">
			{children}
			<span className="email-flag-note"> ({note})</span>
		</mark>
	)
}

const VERDICTS = ['phishing', 'genuine'] as const

export function EmailMock({
	from,
	to,
	subject,
	date,
	verdict,
	children,
}: {
	from: ReactNode
	to?: ReactNode
	subject: ReactNode
	date?: ReactNode
	verdict: (typeof VERDICTS)[number]
	children: ReactNode
}) {
	const labels = useLabels()
	const group = useId()
	if (!from || !subject) authoringError('<EmailMock> needs from and subject')
	if (!VERDICTS.includes(verdict)) authoringError(`<EmailMock verdict="${verdict}">: verdict must be "phishing" or "genuine"`)
	const isPhishing = verdict === 'phishing'
	const header = (label: string, value: ReactNode) =>
		value ? (
			<div className="email-header-row">
				<dt>{label}</dt>
				<dd>{value}</dd>
			</div>
		) : null
	return (
		<section className="email-mock">
			<p className="eyebrow">{labels.email}</p>
			<div className="email-window">
				<dl className="email-headers">
					{header(labels.from, from)}
					{header(labels.to, to)}
					{header(labels.subject, subject)}
					{header(labels.date, date)}
				</dl>
				<div className="email-body">{children}</div>
			</div>
			<fieldset className="reveal-choices">
				<legend>{labels.emailQuestion}</legend>
				<RevealChoice group={group} label={labels.reportIt} verdict={<span className={isPhishing ? 'verdict-good' : 'verdict-risky'}>{isPhishing ? labels.rightPhishing : labels.wrongGenuine}</span>}>
					<p className="email-flag-hint">{labels.flagged}</p>
				</RevealChoice>
				<RevealChoice group={group} label={labels.trustIt} verdict={<span className={isPhishing ? 'verdict-risky' : 'verdict-good'}>{isPhishing ? labels.wrongPhishing : labels.rightGenuine}</span>}>
					<p className="email-flag-hint">{labels.flagged}</p>
				</RevealChoice>
			</fieldset>
		</section>
	)
}

/** Where the lesson page renders the server-graded quiz; the questions stay in the frontmatter. */
export const QUIZ_SLOT_HTML = '<div data-quiz-slot=""></div>'
export function Quiz() {
	return <div data-quiz-slot="" />
}

export const mdxComponents = { Callout, KeyTakeaways, Scenario, Choice, EmailMock, Flag, Quiz }
