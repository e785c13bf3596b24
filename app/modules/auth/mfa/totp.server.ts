import { decodeBase32IgnorePadding, encodeBase32NoPadding } from '@oslojs/encoding'
import { createTOTPKeyURI } from '@oslojs/otp'
import QRCode from 'qrcode'
import { prisma } from '#app/utils/db.server.ts'
import { decryptSecret, encryptSecret } from '#app/utils/encryption.server.ts'
import { countUnusedRecoveryCodes, replaceRecoveryCodes } from './recovery-codes.server.ts'
import { recordSecurityEvent } from './security-events.server.ts'
import { matchTotpStep, TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_SECRET_BYTES } from './totp.ts'

const SECRET_PURPOSE = 'totp-secret'
const ISSUER = 'Bulwark'

type User = { id: string; email: string }

function readKey(secretCiphertext: string) {
	const secret = decryptSecret(secretCiphertext, SECRET_PURPOSE)
	return secret ? decodeBase32IgnorePadding(secret) : null
}

/** Starts (or starts over) setting up an authenticator app: a new secret, unconfirmed until a code from it is entered. */
export async function startTotpEnrolment(userId: string) {
	const existing = await prisma.totpCredential.findUnique({ where: { userId }, select: { confirmedAt: true } })
	if (existing?.confirmedAt) return { status: 'already-on' as const }
	const key = new Uint8Array(TOTP_SECRET_BYTES)
	crypto.getRandomValues(key)
	const secretCiphertext = encryptSecret(encodeBase32NoPadding(key), SECRET_PURPOSE)
	await prisma.totpCredential.upsert({
		where: { userId },
		create: { userId, secretCiphertext },
		update: { secretCiphertext, lastUsedStep: null },
		select: { userId: true },
	})
	return { status: 'ok' as const }
}

/** What the set-up page shows for the secret awaiting confirmation: its QR code and the same secret as text. */
export async function describeTotpEnrolment(user: User) {
	const pending = await prisma.totpCredential.findUnique({ where: { userId: user.id }, select: { secretCiphertext: true, confirmedAt: true } })
	if (!pending || pending.confirmedAt) return null
	const key = readKey(pending.secretCiphertext)
	if (!key) return null
	const uri = createTOTPKeyURI(ISSUER, user.email, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS)
	const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
	return {
		qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
		// Grouped in fours, as apps accept it typed by hand.
		secret: encodeBase32NoPadding(key).match(/.{1,4}/g)!.join(' '),
	}
}

/**
 * Accepts a code that proves the app holds the secret and turns the factor on. When it is the
 * user's first way to recover (no unused codes yet), recovery codes come with it: returned to be shown once.
 */
export async function confirmTotpEnrolment(user: User, code: string, now = new Date()) {
	const pending = await prisma.totpCredential.findUnique({ where: { userId: user.id }, select: { secretCiphertext: true, confirmedAt: true } })
	if (!pending || pending.confirmedAt) return { status: 'missing' as const }
	const key = readKey(pending.secretCiphertext)
	const step = key ? matchTotpStep(key, code, now, null) : null
	if (step === null) return { status: 'invalid' as const }
	const needsRecoveryCodes = (await countUnusedRecoveryCodes(user.id)) === 0
	const recoveryCodes = await prisma.$transaction(async (tx) => {
		const { count } = await tx.totpCredential.updateMany({
			where: { userId: user.id, confirmedAt: null, secretCiphertext: pending.secretCiphertext },
			data: { confirmedAt: now, lastUsedStep: step },
		})
		if (count !== 1) return undefined
		await recordSecurityEvent(tx, { user, action: 'totp.enabled' })
		return needsRecoveryCodes ? replaceRecoveryCodes(tx, user) : null
	})
	if (recoveryCodes === undefined) return { status: 'missing' as const }
	return { status: 'ok' as const, recoveryCodes }
}

/**
 * True when `code` is the user's current code and newer than the last one accepted; that step is
 * then recorded in the same statement, so two requests with one code cannot both pass.
 */
export async function verifyTotpCode(userId: string, code: string, now = new Date()) {
	const credential = await prisma.totpCredential.findUnique({
		where: { userId },
		select: { secretCiphertext: true, confirmedAt: true, lastUsedStep: true },
	})
	if (!credential?.confirmedAt) return false
	const key = readKey(credential.secretCiphertext)
	const step = key ? matchTotpStep(key, code, now, credential.lastUsedStep) : null
	if (step === null) return false
	const { count } = await prisma.totpCredential.updateMany({
		where: { userId, confirmedAt: { not: null }, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
		data: { lastUsedStep: step },
	})
	return count === 1
}

export async function disableTotp(user: User) {
	await prisma.$transaction(async (tx) => {
		const { count } = await tx.totpCredential.deleteMany({ where: { userId: user.id, confirmedAt: { not: null } } })
		if (count === 1) await recordSecurityEvent(tx, { user, action: 'totp.disabled' })
	})
}
