import 'dotenv/config'
import { createPasswordResetLink } from '#app/modules/auth/password-reset.server.ts'
import { EmailSchema } from '#app/modules/auth/schemas.ts'
import { disconnectDatabase } from '#app/utils/db.server.ts'
import { configuredAppOrigin } from '#app/utils/env.server.ts'

/**
 * `npm run users:reset-link -- <email>`: prints a single-use password-reset link, valid for an
 * hour, for a server without email (docs/decisions/028). Pass it to its owner yourself; it is the
 * only copy, and opening it changes nothing until a new password is set.
 */
const parsed = EmailSchema.safeParse(process.argv[2] ?? '')
if (!parsed.success) {
	console.error('Usage: npm run users:reset-link -- <email address>')
	process.exit(2)
}
try {
	const reset = await createPasswordResetLink(parsed.data, configuredAppOrigin())
	if (!reset) {
		console.error(`No account has the address ${parsed.data}.`)
		process.exitCode = 1
	} else {
		console.log(`Reset link for ${parsed.data}, valid once until ${reset.expiresAt.toUTCString()}:\n${reset.link}`)
	}
} finally {
	await disconnectDatabase()
}
