-- The outbox worker (docs/decisions/023-outbox-worker.md): every message is delivered from the
-- outbox by a background worker with retries, never inside the request that wrote it.

ALTER TYPE "OutboxKind" ADD VALUE 'INVITATION';
ALTER TYPE "OutboxKind" ADD VALUE 'ACCOUNT';

ALTER TABLE "OutboxMessage" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "claimedUntil" TIMESTAMP(3),
ADD COLUMN     "discardAfter" TIMESTAMP(3),
ADD COLUMN     "failedAt" TIMESTAMP(3),
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "secretLink" TEXT,
ALTER COLUMN "organisationId" DROP NOT NULL;

-- Messages written before: a reminder or digest is news for a day; one whose delivery failed
-- stays failed, one not yet sent is picked up by the worker while it is still news.
UPDATE "OutboxMessage" SET "discardAfter" = "createdAt" + interval '1 day';
UPDATE "OutboxMessage" SET "failedAt" = "createdAt" WHERE "deliveredAt" IS NULL AND "deliveryError" IS NOT NULL;
UPDATE "OutboxMessage" SET "nextAttemptAt" = "createdAt" WHERE "deliveredAt" IS NULL AND "deliveryError" IS NULL;
ALTER TABLE "OutboxMessage" ALTER COLUMN "discardAfter" SET NOT NULL;

CREATE INDEX "OutboxMessage_nextAttemptAt_idx" ON "OutboxMessage"("nextAttemptAt");
CREATE INDEX "OutboxMessage_createdById_kind_createdAt_idx" ON "OutboxMessage"("createdById", "kind", "createdAt");
