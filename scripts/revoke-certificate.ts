import 'dotenv/config'
import { revokeCertificate } from '#app/modules/certificates/certificates.server.ts'
import { disconnectDatabase } from '#app/utils/db.server.ts'

/** `npm run certificates:revoke -- <code> "<reason>"`: from then on /verify/<code> shows it as revoked. */
const [code, ...reasonWords] = process.argv.slice(2)
const reason = reasonWords.join(' ').trim()
if (!code || !reason) {
	console.error('Usage: npm run certificates:revoke -- <certificate code> "<reason>"')
	process.exit(2)
}
try {
	const result = await revokeCertificate(code, reason.slice(0, 500))
	if (result.status === 'malformed') console.error(`"${code}" is not a certificate code (like 7K2M-9QXD-F4ZB-H8RT-C3NW).`)
	else if (result.status === 'not-found') console.error(`No valid certificate ${result.code}: unknown, or revoked already.`)
	else console.log(`Revoked ${result.code}.`)
	process.exitCode = result.status === 'revoked' ? 0 : 1
} finally {
	await disconnectDatabase()
}
