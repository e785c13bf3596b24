-- Password reset and email verification (docs/decisions/028): single-use emailed links stored as
-- hashes, and when each user proved they read their address.

-- CreateEnum
CREATE TYPE "AccountTokenPurpose" AS ENUM ('RESET', 'VERIFY');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailVerifiedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AccountToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "purpose" "AccountTokenPurpose" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AccountToken_tokenHash_key" ON "AccountToken"("tokenHash");

-- CreateIndex
CREATE INDEX "AccountToken_userId_purpose_idx" ON "AccountToken"("userId", "purpose");

-- CreateIndex
CREATE INDEX "AccountToken_expiresAt_idx" ON "AccountToken"("expiresAt");

-- AddForeignKey
ALTER TABLE "AccountToken" ADD CONSTRAINT "AccountToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing accounts: whoever accepted an emailed invitation proved the address then; everyone
-- else is asked by the banner to confirm theirs.
UPDATE "User" u SET "emailVerifiedAt" = accepted."at"
FROM (SELECT "email", MIN("acceptedAt") AS "at" FROM "Invitation" WHERE "acceptedAt" IS NOT NULL GROUP BY "email") accepted
WHERE accepted."email" = u."email";
