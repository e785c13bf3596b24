import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { compileCourseLibrary, writeCourseManifest } from './course-library.server.ts'

const FIXTURES = path.resolve('test/fixtures/courses')
const savedEnv = { ...process.env }
/** Production requires one (decision 022); these tests never encrypt anything. */
const PRODUCTION_KEY = 'course-manifest-test-key-0123456789abcdef'

afterEach(() => {
	process.env = { ...savedEnv }
	vi.resetModules()
	delete (globalThis as { __bulwarkSingletons?: Map<string, unknown> }).__bulwarkSingletons
})

describe('the course library in production', () => {
	test('is read from the manifest the build wrote; the sources are never read or compiled', { timeout: 60_000 }, async () => {
		const directory = mkdtempSync(path.join(os.tmpdir(), 'bulwark-manifest-'))
		try {
			const { courses, problems } = await compileCourseLibrary(FIXTURES)
			expect(problems).toEqual([])
			const manifest = path.join(directory, 'manifest.json')
			await writeCourseManifest(courses, manifest)

			// A fresh module graph that sees production settings and no course sources at all:
			// compiling (the development path) would fail on the missing folder.
			process.env.NODE_ENV = 'production'
			process.env.ENCRYPTION_KEY = PRODUCTION_KEY
			process.env.COURSE_MANIFEST = manifest
			process.env.COURSES_DIR = path.join(directory, 'no-such-folder')
			vi.resetModules()
			const { getCourseLibrary } = await import('./course-library.server.ts')

			const library = await getCourseLibrary()
			expect([...library.bySlug.keys()].sort()).toEqual(courses.map((course) => course.slug).sort())
			expect(library.bySlug.get('demo-course')?.variants.en.lessons.map((lesson) => lesson.html)).toEqual(
				courses.find((course) => course.slug === 'demo-course')?.variants.en.lessons.map((lesson) => lesson.html),
			)
			// Read once: a second request gets the same object, not a re-read.
			expect(await getCourseLibrary()).toBe(library)
		} finally {
			rmSync(directory, { recursive: true, force: true })
		}
	})

	test('without a manifest, loading fails with how to make one (the server refuses to start on it)', async () => {
		process.env.NODE_ENV = 'production'
		process.env.ENCRYPTION_KEY = PRODUCTION_KEY
		process.env.COURSE_MANIFEST = path.join(os.tmpdir(), 'bulwark-no-manifest', 'manifest.json')
		vi.resetModules()
		const { getCourseLibrary } = await import('./course-library.server.ts')
		await expect(getCourseLibrary()).rejects.toThrow(/Run `npm run build`/)
	})
})
