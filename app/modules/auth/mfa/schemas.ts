import { z } from 'zod'
import { setByPage } from '#app/utils/form-fields.ts'
import { PASSWORD_MAX_LENGTH, PlainTextSchema, RedirectToSchema } from '../schemas.ts'

/** Six digits as the app shows them; a space in the middle ("123 456") is forgiven. */
const TotpCode = z
	.string({ required_error: 'Enter the six-digit code from your authenticator app' })
	.max(20, 'Enter the six-digit code from your authenticator app')
	.transform((value) => value.replace(/\s/g, ''))
	.pipe(z.string().regex(/^\d{6}$/, 'Enter the six-digit code from your authenticator app'))

const RecoveryCode = z
	.string({ required_error: 'Enter one of your recovery codes' })
	.trim()
	.min(1, 'Enter one of your recovery codes')
	.max(40, 'That is not a recovery code')

/**
 * The browser's WebAuthn answer (@simplewebauthn/browser's JSON), posted as one form field; the
 * server library checks its structure and signatures, this only bounds it and reads the JSON.
 */
const WebAuthnResponse = setByPage(
	z
		.string()
		.max(16_000)
		.transform((value, ctx) => {
			try {
				const parsed: unknown = JSON.parse(value)
				if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { id?: unknown }).id === 'string') return parsed as Record<string, unknown>
			} catch {
				// Reported below.
			}
			ctx.addIssue({ code: 'custom', message: 'The passkey answer could not be read' })
			return z.NEVER
		}),
)

const CurrentPassword = z.string({ required_error: 'Enter your current password' }).max(PASSWORD_MAX_LENGTH, 'That password is too long')

export const PasskeyName = PlainTextSchema({ required: 'Name the passkey, for example "Work laptop"', max: 60 })

/** A credential id as WebAuthn gives it: base64url. */
const PasskeyId = setByPage(z.string().regex(/^[A-Za-z0-9_-]{1,1400}$/, 'That passkey does not exist'))

export const TotpLoginSchema = z.object({ intent: z.literal('totp'), code: TotpCode })
export const RecoveryLoginSchema = z.object({ intent: z.literal('recovery'), code: RecoveryCode })
export const PasskeyLoginSchema = z.object({ intent: z.literal('passkey'), response: WebAuthnResponse })
/** The first step of a password-less passkey sign-in: the server's options for the browser. */
export const PasskeyOptionsSchema = z.object({ intent: z.literal('options'), redirectTo: RedirectToSchema })

export const ConfirmTotpSchema = z.object({ intent: z.literal('confirm'), code: TotpCode })

export const RegisterPasskeySchema = z.object({ intent: z.literal('register'), name: PasskeyName, response: WebAuthnResponse })
export const RenamePasskeySchema = z.object({ intent: z.literal('rename'), passkeyId: PasskeyId, name: PasskeyName })
export const RemovePasskeySchema = z.object({ intent: z.literal('remove-passkey'), passkeyId: PasskeyId, password: CurrentPassword })
export const DisableTotpSchema = z.object({ intent: z.literal('disable-totp'), password: CurrentPassword })
export const RegenerateRecoveryCodesSchema = z.object({ intent: z.literal('regenerate-codes'), password: CurrentPassword })

export const OrganisationMfaPolicySchema = z.object({ requireMfa: z.preprocess((value) => value === 'on', z.boolean()) })
