-- AlterTable
ALTER TABLE "Department" ADD COLUMN     "scimExternalId" TEXT;

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "provisionedAccount" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "scimExternalId" TEXT;

-- CreateTable
CREATE TABLE "ScimToken" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ScimToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ScimToken_tokenHash_key" ON "ScimToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ScimToken_organisationId_createdAt_idx" ON "ScimToken"("organisationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Department_organisationId_scimExternalId_key" ON "Department"("organisationId", "scimExternalId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_organisationId_scimExternalId_key" ON "Membership"("organisationId", "scimExternalId");

-- AddForeignKey
ALTER TABLE "ScimToken" ADD CONSTRAINT "ScimToken_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScimToken" ADD CONSTRAINT "ScimToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
