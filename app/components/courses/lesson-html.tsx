/**
 * A lesson's HTML, rendered from the course's MDX when the course was compiled. It comes from
 * reviewed files in courses/, never from users, and its interactive parts work without scripts,
 * so the page needs no `eval` and keeps its strict Content-Security-Policy.
 */
export function LessonHtml({ html }: { html: string }) {
	return <div className="lesson-body" dangerouslySetInnerHTML={{ __html: html }} />
}
