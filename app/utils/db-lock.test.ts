import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { lockDataDirectory } from './db.server.ts'

const dirs: string[] = []
function scratchDataDir() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-lock-'))
	dirs.push(dir)
	return path.join(dir, 'pglite')
}

afterEach(() => {
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

test('takes a free data directory and writes its own process id', () => {
	const dataDir = scratchDataDir()
	lockDataDirectory(dataDir)
	expect(fs.readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid))
})

test('refuses a data directory held by another live process, naming it', () => {
	const dataDir = scratchDataDir()
	// The parent process (the test runner) is alive for as long as this test runs.
	fs.writeFileSync(`${dataDir}.lock`, String(process.ppid))
	expect(() => lockDataDirectory(dataDir)).toThrow(`is in use by process ${process.ppid}`)
	expect(fs.readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.ppid))
})

test('takes over a lock left behind by a process that no longer runs', () => {
	const dataDir = scratchDataDir()
	const gonePid = 2 ** 22 + 12_345 // above Linux's pid_max, so no process can have it
	fs.writeFileSync(`${dataDir}.lock`, String(gonePid))
	lockDataDirectory(dataDir)
	expect(fs.readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid))
})
