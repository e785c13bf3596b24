import type { Prisma } from '#app/generated/prisma/client.ts'
import { queueEmail } from '#app/modules/mail/outbox.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { NOT_YOU, SECURITY_NOTICES, type SecurityAction } from './messages.ts'

type Db = Prisma.TransactionClient | typeof prisma

/**
 * Records a change to how the user signs in, in their own security log, and tells them by email
 * (the outbox, delivered after commit), in the same transaction as the change (decision 025: the
 * account's history belongs to the account, not to an organisation).
 */
export async function recordSecurityEvent(
	db: Db,
	{ user, action, label = null }: { user: { id: string; email: string }; action: SecurityAction; label?: string | null },
) {
	await db.securityEvent.create({ data: { userId: user.id, action, label }, select: { id: true } })
	const notice = SECURITY_NOTICES[action]
	await queueEmail(db, { kind: 'ACCOUNT', to: user.email, subject: notice.subject, text: `${notice.text(label)}\n\n${NOT_YOU}`, organisationId: null })
}

export const SECURITY_LOG_SIZE = 20

export function listSecurityEvents(userId: string) {
	return prisma.securityEvent.findMany({
		where: { userId },
		orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
		take: SECURITY_LOG_SIZE,
		select: { action: true, label: true, createdAt: true },
	})
}
