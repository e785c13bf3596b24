import {
	type AuthenticationResponseJSON,
	generateAuthenticationOptions,
	generateRegistrationOptions,
	type RegistrationResponseJSON,
	verifyAuthenticationResponse,
	verifyRegistrationResponse,
} from '@simplewebauthn/server'
import { isUniqueConstraintError, prisma } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'
import { countUnusedRecoveryCodes, replaceRecoveryCodes } from './recovery-codes.server.ts'
import { recordSecurityEvent } from './security-events.server.ts'

// Passkeys (WebAuthn) through @simplewebauthn/server. The relying party is this site's host as
// APP_URL names it (else the request's), and every answer must come from its origin. Each
// challenge is kept on the server, used once, and short-lived.

const RP_NAME = 'Bulwark'
const CEREMONY_TIMEOUT_MS = 5 * 60 * 1000

type User = { id: string; email: string }

function relyingParty(request: Request) {
	const origin = getAppOrigin(request, getEnv().APP_URL)
	return { origin, rpID: new URL(origin).hostname }
}

/** WebAuthn's libraries throw on malformed input; a refusal here is the user's 4xx, not a 500. */
async function orNull<Result>(work: () => Promise<Result>) {
	try {
		return await work()
	} catch {
		return null
	}
}

export function listPasskeys(userId: string) {
	return prisma.passkey.findMany({
		where: { userId },
		orderBy: { createdAt: 'asc' },
		select: { id: true, name: true, createdAt: true, lastUsedAt: true, backedUp: true },
	})
}

/** Options for adding a passkey: a discoverable credential (it can sign in without a password), verified by the device. */
export async function passkeyRegistrationOptions(request: Request, user: User & { name: string }, now = new Date()) {
	const existing = await prisma.passkey.findMany({ where: { userId: user.id }, select: { id: true, transports: true } })
	const options = await generateRegistrationOptions({
		rpName: RP_NAME,
		rpID: relyingParty(request).rpID,
		userName: user.email,
		userDisplayName: user.name,
		userID: new TextEncoder().encode(user.id),
		attestationType: 'none',
		timeout: CEREMONY_TIMEOUT_MS,
		excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
		authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
	})
	const expiresAt = new Date(now.getTime() + CEREMONY_TIMEOUT_MS)
	await prisma.passkeyRegistration.upsert({
		where: { userId: user.id },
		create: { userId: user.id, challenge: options.challenge, expiresAt },
		update: { challenge: options.challenge, expiresAt },
		select: { userId: true },
	})
	return options
}

export type RegisterPasskeyResult =
	| { status: 'ok'; recoveryCodes: string[] | null }
	| { status: 'expired' }
	| { status: 'refused' }
	| { status: 'duplicate' }

/** Checks the browser's answer to the stored challenge (used up either way) and keeps the passkey under `name`. */
export async function registerPasskey(request: Request, user: User, { name, response }: { name: string; response: unknown }, now = new Date()): Promise<RegisterPasskeyResult> {
	const pending = await prisma.passkeyRegistration.findUnique({ where: { userId: user.id }, select: { challenge: true, expiresAt: true } })
	const { count } = await prisma.passkeyRegistration.deleteMany({ where: { userId: user.id, challenge: pending?.challenge ?? '' } })
	if (!pending || count !== 1 || pending.expiresAt <= now) return { status: 'expired' }
	const { origin, rpID } = relyingParty(request)
	const verification = await orNull(() =>
		verifyRegistrationResponse({
			response: response as RegistrationResponseJSON,
			expectedChallenge: pending.challenge,
			expectedOrigin: origin,
			expectedRPID: rpID,
			requireUserVerification: true,
		}),
	)
	if (!verification?.verified) return { status: 'refused' }
	const { credential, credentialBackedUp } = verification.registrationInfo
	const needsRecoveryCodes = (await countUnusedRecoveryCodes(user.id)) === 0
	try {
		const recoveryCodes = await prisma.$transaction(async (tx) => {
			await tx.passkey.create({
				data: {
					id: credential.id,
					userId: user.id,
					name,
					publicKey: Buffer.from(credential.publicKey).toString('base64url'),
					counter: credential.counter,
					transports: credential.transports ?? [],
					backedUp: credentialBackedUp,
				},
				select: { id: true },
			})
			await recordSecurityEvent(tx, { user, action: 'passkey.added', label: name })
			return needsRecoveryCodes ? replaceRecoveryCodes(tx, user) : null
		})
		return { status: 'ok', recoveryCodes }
	} catch (error) {
		if (isUniqueConstraintError(error)) return { status: 'duplicate' }
		throw error
	}
}

/**
 * Options for a passkey sign-in of a pending log-in: the user's own passkeys after a password,
 * any discoverable one for a password-less sign-in. The challenge replaces the last one offered.
 */
export async function passkeyAuthenticationOptions(request: Request, challenge: { id: string; userId: string | null }) {
	const allowCredentials = challenge.userId
		? (await prisma.passkey.findMany({ where: { userId: challenge.userId }, select: { id: true, transports: true } })).map((passkey) => ({
				id: passkey.id,
				transports: passkey.transports,
			}))
		: []
	const options = await generateAuthenticationOptions({
		rpID: relyingParty(request).rpID,
		allowCredentials,
		userVerification: 'required',
		timeout: CEREMONY_TIMEOUT_MS,
	})
	await prisma.loginChallenge.updateMany({ where: { id: challenge.id }, data: { webauthnChallenge: options.challenge } })
	return options
}

export type PasskeyAssertionResult = { status: 'ok'; userId: string; email: string } | { status: 'unknown' } | { status: 'refused' }

/**
 * Checks a passkey's signature over the pending log-in's challenge, which is used up first so
 * one answer cannot be replayed. After a password, only that user's passkeys count.
 */
export async function verifyPasskeyAssertion(
	request: Request,
	challenge: { id: string; userId: string | null; webauthnChallenge: string | null },
	response: unknown,
	now = new Date(),
): Promise<PasskeyAssertionResult> {
	const expected = challenge.webauthnChallenge
	if (!expected) return { status: 'refused' }
	const { count } = await prisma.loginChallenge.updateMany({ where: { id: challenge.id, webauthnChallenge: expected }, data: { webauthnChallenge: null } })
	if (count !== 1) return { status: 'refused' }
	const credentialId = (response as { id: string }).id
	const passkey = await prisma.passkey.findFirst({
		where: { id: credentialId, ...(challenge.userId ? { userId: challenge.userId } : {}) },
		select: { id: true, userId: true, publicKey: true, counter: true, transports: true, user: { select: { email: true } } },
	})
	if (!passkey) return { status: 'unknown' }
	const { origin, rpID } = relyingParty(request)
	const verification = await orNull(() =>
		verifyAuthenticationResponse({
			response: response as AuthenticationResponseJSON,
			expectedChallenge: expected,
			expectedOrigin: origin,
			expectedRPID: rpID,
			credential: { id: passkey.id, publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')), counter: passkey.counter, transports: passkey.transports },
			requireUserVerification: true,
		}),
	)
	if (!verification?.verified) return { status: 'refused' }
	await prisma.passkey.updateMany({
		where: { id: passkey.id },
		data: { counter: verification.authenticationInfo.newCounter, lastUsedAt: now, backedUp: verification.authenticationInfo.credentialBackedUp },
	})
	return { status: 'ok', userId: passkey.userId, email: passkey.user.email }
}

export async function renamePasskey(user: User, passkeyId: string, name: string) {
	return prisma.$transaction(async (tx) => {
		const { count } = await tx.passkey.updateMany({ where: { id: passkeyId, userId: user.id }, data: { name } })
		if (count === 1) await recordSecurityEvent(tx, { user, action: 'passkey.renamed', label: name })
		return count === 1
	})
}

/** The removed passkey's name, or null when the user has no such passkey. */
export async function removePasskey(user: User, passkeyId: string) {
	return prisma.$transaction(async (tx) => {
		const passkey = await tx.passkey.findFirst({ where: { id: passkeyId, userId: user.id }, select: { name: true } })
		if (!passkey) return null
		await tx.passkey.deleteMany({ where: { id: passkeyId, userId: user.id } })
		await recordSecurityEvent(tx, { user, action: 'passkey.removed', label: passkey.name })
		return passkey.name
	})
}
