import type { Prisma } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { hashToken } from '../session-token.server.ts'
import { generateRecoveryCode, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes.ts'
import { recordSecurityEvent } from './security-events.server.ts'

type Db = Prisma.TransactionClient | typeof prisma

/** A new set of codes replacing every earlier one; returned once to be shown, only hashes stored. */
export async function replaceRecoveryCodes(db: Db, user: { id: string; email: string }) {
	const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode)
	await db.recoveryCode.deleteMany({ where: { userId: user.id } })
	await db.recoveryCode.createMany({ data: codes.map((code) => ({ userId: user.id, codeHash: hashToken(normaliseRecoveryCode(code)) })) })
	await recordSecurityEvent(db, { user, action: 'recovery_codes.generated' })
	return codes
}

/** The user asked for a new set in Account settings. */
export function regenerateRecoveryCodes(user: { id: string; email: string }) {
	return prisma.$transaction((tx) => replaceRecoveryCodes(tx, user))
}

export function countUnusedRecoveryCodes(userId: string) {
	return prisma.recoveryCode.count({ where: { userId, usedAt: null } })
}

/** True when `input` is one of the user's unused codes, which is then used up (once, even under races). */
export async function redeemRecoveryCode(user: { id: string; email: string }, input: string) {
	const codeHash = hashToken(normaliseRecoveryCode(input))
	return prisma.$transaction(async (tx) => {
		const { count } = await tx.recoveryCode.updateMany({ where: { userId: user.id, codeHash, usedAt: null }, data: { usedAt: new Date() } })
		if (count === 1) await recordSecurityEvent(tx, { user, action: 'recovery_code.used' })
		return count === 1
	})
}
