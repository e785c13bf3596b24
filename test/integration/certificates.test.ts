import { beforeAll, describe, expect, test } from 'vitest'
import { generateCertificateCode } from '#app/modules/certificates/certificate-code.server.ts'
import { revokeCertificate } from '#app/modules/certificates/certificates.server.ts'
import { loader as certificateLoader } from '#app/routes/certificates.$code.tsx'
import { loader as pdfLoader } from '#app/routes/certificates.$code[.pdf].ts'
import { loader as verifyLoader } from '#app/routes/verify.$code.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { CODES_THAT_MATCH_NOTHING } from '#tests/fixtures/codes.ts'
import { certificateCodeFrom, FREE_COURSE, passCourse } from '#tests/fixtures/learning.ts'
import { expectPdfAttachment } from '#tests/fixtures/pdf.ts'
import {
	createSessionCookie,
	createUser,
	expectRedirect,
	expectThrownStatus,
	getRequest,
	routeContext,
	type TestUser,
	thrownBy,
} from '#tests/fixtures/users.ts'

const verify = (code: string) => verifyLoader({ request: getRequest(`/verify/${code}`), params: { code }, context: routeContext() })
const openCertificate = (code: string, cookie?: string) =>
	certificateLoader({ request: getRequest(`/certificates/${code}`, { cookie }), params: { code }, context: routeContext() })
const downloadPdf = (code: string, cookie?: string) =>
	pdfLoader({ request: getRequest(`/certificates/${code}.pdf`, { cookie }), params: { code }, context: routeContext() })

const loginRedirect = (path: string) => `/login?${new URLSearchParams({ redirectTo: path })}`

/** A learner who completed the free course, with the certificate code it issued. */
async function certifiedLearner(name: string): Promise<{ user: TestUser; cookie: string; code: string }> {
	const user = await createUser({ prefix: 'certified', name })
	const { cookie } = await createSessionCookie(user.id)
	const code = certificateCodeFrom(await passCourse(cookie, FREE_COURSE))
	return { user, cookie, code }
}

describe('public verification', () => {
	test('shows only the learner’s name, the course, the completion date and the status', async () => {
		const { code } = await certifiedLearner('Zoë Łukasz-Verify')
		const completion = await prisma.courseCompletion.findUniqueOrThrow({ where: { certificateCode: code } })

		const shown = await verify(code)

		expect(Object.keys(shown).sort()).toEqual(['completedAt', 'courseTitle', 'learnerName', 'status'])
		expect(shown).toEqual({
			learnerName: 'Zoë Łukasz-Verify',
			courseTitle: 'Demo course',
			completedAt: completion.completedAt,
			status: 'valid',
		})
	})

	test('a code typed in lower case, or with O for 0 and l for 1, finds the certificate', async () => {
		const { code } = await certifiedLearner('Case Insensitive')
		expect((await verify(code.toLowerCase())).status).toBe('valid')
		const lookalikes = code.replace(/0/g, 'O').replace(/1/g, 'l').toLowerCase()
		expect((await verify(lookalikes)).learnerName).toBe('Case Insensitive')
		expect((await verify(`  ${code}  `)).status).toBe('valid')
	})

	test('is "valid" through the whole UTC day it expires on, and "expired" from the next', async () => {
		const { code } = await certifiedLearner('Expired Learner')
		const startOfToday = new Date(new Date().toISOString().slice(0, 10))
		const expireAt = (expiresAt: Date) => prisma.courseCompletion.update({ where: { certificateCode: code }, data: { expiresAt }, select: { id: true } })
		await expireAt(startOfToday)
		expect((await verify(code)).status).toBe('valid')
		await expireAt(new Date(startOfToday.getTime() - 1))
		expect((await verify(code)).status).toBe('expired')
	})

	test('is "revoked" after revokeCertificate, which records the reason; revoking twice finds nothing to revoke', async () => {
		const { code } = await certifiedLearner('Revoked Learner')

		expect(await revokeCertificate(code.toLowerCase(), 'Issued in error')).toEqual({ status: 'revoked', code })

		const shown = await verify(code)
		expect(shown.status).toBe('revoked')
		expect(Object.keys(shown).sort()).toEqual(['completedAt', 'courseTitle', 'learnerName', 'status'])
		const stored = await prisma.courseCompletion.findUniqueOrThrow({ where: { certificateCode: code } })
		expect(stored.revocationReason).toBe('Issued in error')
		expect(stored.revokedAt).toBeInstanceOf(Date)

		expect(await revokeCertificate(code, 'Again')).toEqual({ status: 'not-found', code })
		expect((await prisma.courseCompletion.findUniqueOrThrow({ where: { certificateCode: code } })).revocationReason).toBe('Issued in error')
		expect(await revokeCertificate('not a code', 'x')).toEqual({ status: 'malformed' })
	})

	test('revocation wins over expiry', async () => {
		const { code } = await certifiedLearner('Revoked And Expired')
		await prisma.courseCompletion.update({ where: { certificateCode: code }, data: { expiresAt: new Date(Date.now() - 60_000) }, select: { id: true } })
		await revokeCertificate(code, 'Fraud')
		expect((await verify(code)).status).toBe('revoked')
	})

	test.each(CODES_THAT_MATCH_NOTHING)('%s answers 404', async (_label, makeCode) => {
		const refused = await expectThrownStatus(verify(makeCode()), 404)
		expect(refused.data).toEqual({ message: 'There is no certificate with this code. Check the code for typing mistakes.' })
	})
})

describe('the certificate page and PDF', () => {
	let owner: { user: TestUser; cookie: string; code: string }

	beforeAll(async () => {
		owner = await certifiedLearner('Owner Of Certificate')
	})

	test('the owner sees their certificate with its verification link', async () => {
		const page = await openCertificate(owner.code, owner.cookie)
		expect(page.verifyUrl).toBe(`http://localhost/verify/${owner.code}`)
		expect(page.certificate).toMatchObject({
			certificateCode: owner.code,
			learnerName: 'Owner Of Certificate',
			courseTitle: 'Demo course',
			courseSlug: FREE_COURSE,
			courseVersion: '1.0.0',
			status: 'valid',
		})
		expect((await openCertificate(owner.code.toLowerCase(), owner.cookie)).certificate.certificateCode).toBe(owner.code)
	})

	test('the owner downloads a PDF', async () => {
		await expectPdfAttachment(await downloadPdf(owner.code, owner.cookie), `bulwark-certificate-${owner.code}.pdf`)
	})

	test('a revoked certificate is not downloadable: 410 with the reason in words', async () => {
		const { code, cookie } = await certifiedLearner('Revoked Pdf')
		expect((await revokeCertificate(code, 'Issued in error')).status).toBe('revoked')
		const refusal = await expectThrownStatus(downloadPdf(code, cookie), 410)
		expect(refusal.data).toEqual({ message: 'This certificate has been revoked, so it can no longer be downloaded.' })
	})

	test('another signed-in user gets 404 from the page and the PDF', async () => {
		const other = await createUser({ prefix: 'not-owner' })
		const { cookie } = await createSessionCookie(other.id)
		for (const load of [openCertificate, downloadPdf]) {
			const refused = await expectThrownStatus(load(owner.code, cookie), 404)
			expect(refused.data).toEqual({ message: 'We could not find that certificate among yours.' })
		}
	})

	test('a visitor without a session is sent to log in', async () => {
		expectRedirect(await thrownBy(openCertificate(owner.code)), loginRedirect(`/certificates/${owner.code}`))
		expectRedirect(await thrownBy(downloadPdf(owner.code)), loginRedirect(`/certificates/${owner.code}.pdf`))
	})

	test('unknown and malformed codes answer 404 to the owner too', async () => {
		for (const code of [generateCertificateCode(), 'not-a-code']) {
			await expectThrownStatus(openCertificate(code, owner.cookie), 404)
			await expectThrownStatus(downloadPdf(code, owner.cookie), 404)
		}
	})

	test('a revoked certificate stays the owner’s to see, marked revoked', async () => {
		const revoked = await certifiedLearner('Owner Revoked')
		await revokeCertificate(revoked.code, 'Test revocation')
		expect((await openCertificate(revoked.code, revoked.cookie)).certificate.status).toBe('revoked')
	})
})
