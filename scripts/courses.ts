import 'dotenv/config'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { compileCourseLibrary, writeCourseManifest } from '#app/modules/courses/course-library.server.ts'
import { formatProblem } from '#app/modules/courses/course-source.server.ts'
import { getEnv } from '#app/utils/env.server.ts'

/**
 * `check`: validate and compile every course, print each problem as file:line: field: message.
 * `build`: the same, then write the manifest production serves (no request compiles MDX).
 */
const command = process.argv[2]
if (command !== 'check' && command !== 'build') {
	console.error('Usage: tsx scripts/courses.ts check|build [courses-directory]')
	process.exit(2)
}
const env = getEnv()
const coursesDirectory = path.resolve(process.argv[3] ?? env.COURSES_DIR)
const started = performance.now()
const { courses, problems } = await compileCourseLibrary(coursesDirectory)
const seconds = ((performance.now() - started) / 1000).toFixed(2)

if (problems.length > 0) {
	console.error(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${path.relative(process.cwd(), coursesDirectory) || '.'}:`)
	for (const problem of problems) console.error(`  ${formatProblem(problem)}`)
	process.exit(1)
}

const files = courses.reduce((sum, course) => sum + Object.values(course.variants).reduce((n, variant) => n + 1 + variant.lessons.length, 0), 0)
console.log(`${courses.length} course${courses.length === 1 ? '' : 's'}, ${files} MDX files compiled in ${seconds} s: all valid.`)
if (command === 'build') {
	await writeCourseManifest(courses, path.resolve(env.COURSE_MANIFEST))
	console.log(`Wrote ${env.COURSE_MANIFEST}.`)
}
