import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { getEnv } from '#app/utils/env.server.ts'
import { remember } from '#app/utils/remember.server.ts'
import { type AnswerKeys, answerKeysOf, keepAnswerKeys } from './answer-keys.server.ts'
import { type CompiledCourse, type CompiledVariant, compileCourse, hashSources } from './compile-course.server.tsx'
import type { Language } from './course-schema.ts'
import { type CourseProblem, formatProblem, readCourseSources } from './course-source.server.ts'

export type CourseLibrary = { courses: CompiledCourse[]; bySlug: Map<string, CompiledCourse> }

const MANIFEST_FORMAT = 2

/** The manifest keeps each course's answer keys beside it, as the library does in memory. */
type ManifestEntry = { course: CompiledCourse; answerKeys: AnswerKeys }

function toLibrary(courses: CompiledCourse[]): CourseLibrary {
	return { courses, bySlug: new Map(courses.map((course) => [course.slug, course])) }
}

/** Reads, validates and compiles every course: what `courses:check` and the build run. */
export async function compileCourseLibrary(coursesDirectory: string) {
	const { courses: sources, problems } = await readCourseSources(coursesDirectory)
	const courses: CompiledCourse[] = []
	for (const source of sources) {
		const compiled = await compileCourse(source, problems)
		if (compiled) courses.push(compiled)
	}
	return { courses, problems }
}

export async function writeCourseManifest(courses: CompiledCourse[], file: string) {
	await mkdir(path.dirname(file), { recursive: true })
	const entries: ManifestEntry[] = courses.map((course) => ({ course, answerKeys: answerKeysOf(course) }))
	await writeFile(file, JSON.stringify({ format: MANIFEST_FORMAT, courses: entries }))
}

async function readCourseManifest(file: string) {
	let text: string
	try {
		text = await readFile(file, 'utf8')
	} catch {
		throw new Error(`The compiled course library ${file} is missing. Run \`npm run build\` (it compiles the courses) before \`npm start\`.`)
	}
	const manifest = JSON.parse(text) as { format: number; courses: ManifestEntry[] }
	if (manifest.format !== MANIFEST_FORMAT) throw new Error(`${file} was written by another version of Bulwark: run \`npm run build\`.`)
	return toLibrary(manifest.courses.map(({ course, answerKeys }) => keepAnswerKeys(course, answerKeys)))
}

type DevelopmentCache = { compiled: Map<string, { hash: string; course: CompiledCourse }>; reported: Set<string> }

/**
 * Development and tests compile from the sources, each course once per change of its files:
 * a request re-reads the (small) sources, and only a course whose content hash moved compiles again.
 */
async function compileChangedCourses(coursesDirectory: string): Promise<CourseLibrary> {
	const cache = remember<DevelopmentCache>('course-compile-cache', () => ({ compiled: new Map(), reported: new Set() }))
	const { courses: sources, problems } = await readCourseSources(coursesDirectory)
	const courses: CompiledCourse[] = []
	for (const source of sources) {
		const hash = hashSources([JSON.stringify(source.facts), JSON.stringify(source.variants)])
		const cached = cache.compiled.get(source.slug)
		if (cached?.hash === hash) {
			courses.push(cached.course)
			continue
		}
		const compiled = await compileCourse(source, problems)
		if (!compiled) continue
		cache.compiled.set(source.slug, { hash, course: compiled })
		courses.push(compiled)
	}
	reportOnce(problems, cache.reported)
	return toLibrary(courses)
}

function reportOnce(problems: CourseProblem[], reported: Set<string>) {
	const fresh = problems.map(formatProblem).filter((line) => !reported.has(line))
	if (fresh.length === 0) return
	for (const line of fresh) reported.add(line)
	console.error(`Broken courses are left out of the catalogue until fixed:\n  ${fresh.join('\n  ')}`)
}

let pending: Promise<CourseLibrary> | undefined

/** The course library: in production the manifest `npm run build` wrote, read once; never compiled per request. */
export function getCourseLibrary(): Promise<CourseLibrary> {
	const env = getEnv()
	if (env.NODE_ENV === 'production') {
		return remember('course-library', () => readCourseManifest(path.resolve(env.COURSE_MANIFEST)))
	}
	// One compile pass at a time; requests that arrive meanwhile share it.
	pending ??= compileChangedCourses(path.resolve(env.COURSES_DIR)).finally(() => {
		pending = undefined
	})
	return pending
}

export async function findCourse(slug: string) {
	return (await getCourseLibrary()).bySlug.get(slug) ?? null
}

/** The learner's language if the course has it, English otherwise. */
export function pickVariant(course: CompiledCourse, language: Language): CompiledVariant {
	return course.variants[language] ?? course.variants.en
}
