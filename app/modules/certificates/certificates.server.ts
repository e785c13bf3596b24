import { certificateStatus } from '#app/modules/courses/completion.ts'
import { prisma } from '#app/utils/db.server.ts'
import { notFound } from '#app/utils/http.server.ts'
import { normaliseCertificateCode } from './certificate-code.server.ts'

const certificateSelect = {
	certificateCode: true,
	learnerName: true,
	courseTitle: true,
	courseSlug: true,
	courseVersion: true,
	completedAt: true,
	expiresAt: true,
	revokedAt: true,
} as const

/**
 * What /verify/<code> may show anyone holding the code: the learner's name, the course, the date
 * and the status. Unknown or malformed codes are 404s.
 */
export async function requirePublicCertificate(input: string | undefined, now = new Date()) {
	const code = normaliseCertificateCode(input)
	const certificate = code
		? await prisma.courseCompletion.findUnique({
				where: { certificateCode: code },
				select: { certificateCode: true, learnerName: true, courseTitle: true, completedAt: true, expiresAt: true, revokedAt: true },
			})
		: null
	if (!certificate) throw notFound('There is no certificate with this code. Check the code for typing mistakes.')
	return { ...certificate, status: certificateStatus(certificate, now) }
}

/** The learner's own certificate (its printable page and PDF are theirs only). */
export async function requireOwnCertificate(userId: string, input: string | undefined, now = new Date()) {
	const code = normaliseCertificateCode(input)
	const certificate = code
		? await prisma.courseCompletion.findFirst({ where: { certificateCode: code, userId }, select: certificateSelect })
		: null
	if (!certificate) throw notFound('We could not find that certificate among yours.')
	return { ...certificate, status: certificateStatus(certificate, now) }
}
export type OwnCertificate = Awaited<ReturnType<typeof requireOwnCertificate>>

/** For operators (`npm run certificates:revoke`): a revoked certificate verifies as revoked from then on. */
export async function revokeCertificate(input: string, reason: string) {
	const code = normaliseCertificateCode(input)
	if (!code) return { status: 'malformed' as const }
	const { count } = await prisma.courseCompletion.updateMany({
		where: { certificateCode: code, revokedAt: null },
		data: { revokedAt: new Date(), revocationReason: reason },
	})
	return { status: count === 1 ? ('revoked' as const) : ('not-found' as const), code }
}
