-- CreateEnum
CREATE TYPE "RequirementAudience" AS ENUM ('EVERYONE', 'DEPARTMENTS', 'ROLES');

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "departmentSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "roleSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "TrainingRequirement" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "courseSlug" TEXT NOT NULL,
    "audience" "RequirementAudience" NOT NULL DEFAULT 'EVERYONE',
    "roles" "Role"[],
    "dueWithinDays" INTEGER NOT NULL DEFAULT 30,
    "recurrenceMonths" INTEGER,
    "pausedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingRequirement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequirementDepartment" (
    "requirementId" TEXT NOT NULL,
    "departmentId" TEXT NOT NULL,

    CONSTRAINT "RequirementDepartment_pkey" PRIMARY KEY ("requirementId","departmentId")
);

-- CreateIndex
CREATE INDEX "TrainingRequirement_organisationId_idx" ON "TrainingRequirement"("organisationId");

-- CreateIndex
CREATE INDEX "RequirementDepartment_departmentId_idx" ON "RequirementDepartment"("departmentId");

-- AddForeignKey
ALTER TABLE "TrainingRequirement" ADD CONSTRAINT "TrainingRequirement_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequirementDepartment" ADD CONSTRAINT "RequirementDepartment_requirementId_fkey" FOREIGN KEY ("requirementId") REFERENCES "TrainingRequirement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequirementDepartment" ADD CONSTRAINT "RequirementDepartment_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing members have held their role and department since they joined.
UPDATE "Membership" SET "roleSince" = "joinedAt", "departmentSince" = "joinedAt";

-- The one definition of a member's status for a requirement (README, Compliance; decision 015):
-- compliant while a completion is valid for more than 30 days, expiring within the last 30 days
-- of its validity, then due until the due date has passed, and overdue after it.
CREATE FUNCTION "bulwark_requirement_status"(valid_until TIMESTAMP(3), due_on DATE, at TIMESTAMP(3)) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN valid_until > at + INTERVAL '30 days' THEN 'COMPLIANT'
		WHEN valid_until > at THEN 'EXPIRING'
		WHEN due_on >= CAST(at AS DATE) THEN 'DUE'
		ELSE 'OVERDUE'
	END
$$;

-- Every active member of the organisation with every requirement that applies to them as of `at`,
-- with the dates their status comes from. A requirement applies from the latest of: the member's
-- joining, the requirement's creation, and (for a department or role requirement) their move into
-- that department or role. The latest completion of the course that was not revoked counts,
-- whichever course version it was made against; it is valid until its expiry, or for the
-- requirement's own recurrence. Without a valid completion the member is due by the later of the
-- deadline (applies + dueWithinDays) and the day their last completion expired.
CREATE FUNCTION "bulwark_member_requirements"(organisation_id TEXT, at TIMESTAMP(3))
RETURNS TABLE (
	"membershipId" TEXT,
	"userId" TEXT,
	"departmentId" TEXT,
	"requirementId" TEXT,
	"courseSlug" TEXT,
	"appliesSince" TIMESTAMP(3),
	"dueOn" DATE,
	"completedAt" TIMESTAMP(3),
	"validUntil" TIMESTAMP(3),
	"status" TEXT
)
LANGUAGE sql STABLE AS $$
	SELECT m."id", m."userId", m."departmentId", r."id", r."courseSlug", applies.since, due.due_on, completion."completedAt",
		completion.valid_until, "bulwark_requirement_status"(completion.valid_until, due.due_on, at)
	FROM "Membership" m
	JOIN "TrainingRequirement" r ON r."organisationId" = m."organisationId"
	CROSS JOIN LATERAL (
		SELECT GREATEST(
			m."joinedAt",
			r."createdAt",
			CASE WHEN r."audience" = 'DEPARTMENTS' THEN m."departmentSince" END,
			CASE WHEN r."audience" = 'ROLES' THEN m."roleSince" END
		) AS since
	) applies
	LEFT JOIN LATERAL (
		SELECT c."completedAt",
			CASE WHEN r."recurrenceMonths" IS NULL THEN c."expiresAt" ELSE c."completedAt" + make_interval(months => r."recurrenceMonths") END AS valid_until
		FROM "CourseCompletion" c
		WHERE c."userId" = m."userId" AND c."courseSlug" = r."courseSlug" AND c."revokedAt" IS NULL AND c."completedAt" <= at
		ORDER BY c."completedAt" DESC
		LIMIT 1
	) completion ON TRUE
	CROSS JOIN LATERAL (
		SELECT GREATEST(CAST(applies.since + make_interval(days => r."dueWithinDays") AS DATE), CAST(completion.valid_until AS DATE)) AS due_on
	) due
	WHERE m."organisationId" = organisation_id
		AND m."deactivatedAt" IS NULL
		AND r."pausedAt" IS NULL
		AND m."joinedAt" <= at
		AND r."createdAt" <= at
		AND (
			r."audience" = 'EVERYONE'
			OR (r."audience" = 'DEPARTMENTS' AND EXISTS (
				SELECT 1 FROM "RequirementDepartment" rd WHERE rd."requirementId" = r."id" AND rd."departmentId" = m."departmentId"
			))
			OR (r."audience" = 'ROLES' AND m."role" = ANY (r."roles"))
		)
$$;
