import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Writes a small course into a fresh temporary folder, so each test of the course checks builds
 * exactly the breakage it is about, next to its assertions. Not a test file itself: the unit
 * tests of course-source and compile-course import it.
 */

/** One text per line: `lines('---', 'title: x', '---')`, so a test can show each line's number. */
export function lines(...text: string[]) {
	return `${text.join('\n')}\n`
}

/** Replaces one exact piece of a fixture, and refuses quietly doing nothing if the piece is not there. */
export function edit(text: string, from: string, to: string) {
	const at = text.indexOf(from)
	if (at === -1) throw new Error(`edit: "${from}" is not in the fixture`)
	if (text.indexOf(from, at + 1) !== -1) throw new Error(`edit: "${from}" occurs more than once in the fixture`)
	return text.slice(0, at) + to + text.slice(at + from.length)
}

export const COURSE_SLUG = 'spotting-phishing'

export const COURSE_MDX = lines(
	'---', // line 1
	'title: Spotting phishing', // line 2
	'summary: How to recognise a phishing email before you click.', // line 3
	'version: 1.0.0', // line 4
	'estimatedMinutes: 10', // line 5
	'level: beginner', // line 6
	'free: true', // line 7
	'topics: [phishing]', // line 8
	'principles: [6]', // line 9
	'---', // line 10
	'',
	'Why phishing matters.',
)

export const INTRO_MDX = lines(
	'---', // line 1
	'title: Spot the signs', // line 2
	'---', // line 3
	'',
	'Look at the **sender** first.', // line 5
)

/** Explanations and option texts chosen to be easy to search for in compiled HTML. */
export const QUIZ_MDX = lines(
	'---', // line 1
	'title: Check yourself', // line 2
	'quiz:', // line 3
	'  questions:', // line 4
	'    - id: first-step', // line 5
	'      type: single', // line 6
	'      prompt: You typed your password into a fake page. What first?', // line 7
	'      options:', // line 8
	'        - text: Wait and see', // line 9
	'        - text: Change it and report', // line 10
	'          correct: true', // line 11
	'      explanation: Acting fast locks the intruder out.', // line 12
	'    - id: what-to-report', // line 13
	'      type: multiple', // line 14
	'      prompt: Which of these do you report?', // line 15
	'      options:', // line 16
	'        - text: A lost company phone', // line 17
	'          correct: true', // line 18
	'        - text: A printer out of toner', // line 19
	'        - text: An unlocked screen', // line 20
	'          correct: true', // line 21
	'      explanation: Anything that puts information at risk deserves a report.', // line 22
	'    - id: false-alarms', // line 23
	'      type: true-false', // line 24
	'      prompt: A harmless false alarm wastes everyone’s time.', // line 25
	'      answer: false', // line 26
	'      explanation: False alarms are cheap and teach the security team a lot.', // line 27
	'---', // line 28
	'',
	'Before the quiz.', // line 30
	'',
	'<Quiz />', // line 32
	'',
	'After the quiz.', // line 34
)

/** A valid English-only course: an overview, a plain lesson and a lesson with a quiz. */
export const ENGLISH_COURSE: CourseFiles = {
	'course.mdx': COURSE_MDX,
	'01-spot-the-signs.mdx': INTRO_MDX,
	'02-check-yourself.mdx': QUIZ_MDX,
}

/** Added to ENGLISH_COURSE: declares German and adds a faithful translation. */
export const GERMAN_TRANSLATION: CourseFiles = {
	'course.mdx': edit(COURSE_MDX, 'principles: [6]\n', 'principles: [6]\nlanguages: [en, de]\n'), // languages: line 10
	'de/course.mdx': lines('---', 'title: Phishing erkennen', 'summary: Wie Sie eine Phishing-E-Mail erkennen.', '---', '', 'Warum Phishing wichtig ist.'),
	'de/01-spot-the-signs.mdx': lines('---', 'title: Die Anzeichen', '---', '', 'Schauen Sie zuerst auf den **Absender**.'),
	'de/02-check-yourself.mdx': edit(
		edit(edit(QUIZ_MDX, 'title: Check yourself', 'title: Prüfen Sie sich'), 'Before the quiz.', 'Vor dem Quiz.'),
		'After the quiz.',
		'Nach dem Quiz.',
	),
}

/** File name (relative to the course folder, `/`-separated) → content; null leaves a base file out. */
export type CourseFiles = Record<string, string | null>

const roots: string[] = []

export type TempCourse = {
	/** The courses directory to hand to readCourseSources / compileCourseLibrary. */
	root: string
	/** A course file as problems name it: relative to the working directory. */
	file: (...parts: string[]) => string
}

/** Writes `base` with `changes` applied as the course `slug` in a new temporary courses directory. */
export function writeTempCourse(changes: CourseFiles = {}, { base = ENGLISH_COURSE, slug = COURSE_SLUG } = {}): TempCourse {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-course-'))
	roots.push(root)
	const courseDirectory = path.join(root, slug)
	fs.mkdirSync(courseDirectory, { recursive: true })
	for (const [name, content] of Object.entries({ ...base, ...changes })) {
		if (content === null) continue
		const target = path.join(courseDirectory, ...name.split('/'))
		fs.mkdirSync(path.dirname(target), { recursive: true })
		fs.writeFileSync(target, content)
	}
	return { root, file: (...parts) => path.relative(process.cwd(), path.join(courseDirectory, ...parts)) }
}

/** For afterEach: removes every folder writeTempCourse made. */
export function removeTempCourses() {
	for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true })
}
