-- CreateEnum
CREATE TYPE "OutboxKind" AS ENUM ('REMINDER', 'DIGEST');

-- CreateTable
CREATE TABLE "ManagerDepartment" (
    "membershipId" TEXT NOT NULL,
    "departmentId" TEXT NOT NULL,

    CONSTRAINT "ManagerDepartment_pkey" PRIMARY KEY ("membershipId","departmentId")
);

-- CreateTable
CREATE TABLE "MemberRequirementState" (
    "membershipId" TEXT NOT NULL,
    "requirementId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "departmentId" TEXT,
    "courseSlug" TEXT NOT NULL,
    "appliesSince" TIMESTAMP(3) NOT NULL,
    "dueOn" DATE NOT NULL,
    "completedAt" TIMESTAMP(3),
    "validUntil" TIMESTAMP(3),

    CONSTRAINT "MemberRequirementState_pkey" PRIMARY KEY ("membershipId","requirementId")
);

-- CreateTable
CREATE TABLE "MemberComplianceState" (
    "membershipId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "departmentId" TEXT,
    "requirementCount" INTEGER NOT NULL,
    "firstDueOn" DATE,
    "firstExpiry" TIMESTAMP(3),

    CONSTRAINT "MemberComplianceState_pkey" PRIMARY KEY ("membershipId")
);

-- CreateTable
CREATE TABLE "ComplianceSnapshot" (
    "organisationId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "byDepartment" JSONB NOT NULL,

    CONSTRAINT "ComplianceSnapshot_pkey" PRIMARY KEY ("organisationId","day")
);

-- CreateTable
CREATE TABLE "ComplianceStatement" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "organisationName" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issuedById" TEXT,
    "members" INTEGER NOT NULL,
    "compliant" INTEGER NOT NULL,
    "requirements" JSONB NOT NULL,

    CONSTRAINT "ComplianceStatement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "membershipId" TEXT,
    "kind" "OutboxKind" NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sentOn" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),
    "deliveryError" TEXT,
    "createdById" TEXT,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ManagerDepartment_departmentId_idx" ON "ManagerDepartment"("departmentId");

-- CreateIndex
CREATE INDEX "MemberRequirementState_organisationId_requirementId_idx" ON "MemberRequirementState"("organisationId", "requirementId");

-- CreateIndex
CREATE INDEX "MemberRequirementState_userId_idx" ON "MemberRequirementState"("userId");

-- CreateIndex
CREATE INDEX "MemberComplianceState_organisationId_membershipId_idx" ON "MemberComplianceState"("organisationId", "membershipId");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceStatement_code_key" ON "ComplianceStatement"("code");

-- CreateIndex
CREATE INDEX "ComplianceStatement_organisationId_issuedAt_idx" ON "ComplianceStatement"("organisationId", "issuedAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_organisationId_createdAt_idx" ON "OutboxMessage"("organisationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_membershipId_kind_sentOn_key" ON "OutboxMessage"("membershipId", "kind", "sentOn");

-- AddForeignKey
ALTER TABLE "ManagerDepartment" ADD CONSTRAINT "ManagerDepartment_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ManagerDepartment" ADD CONSTRAINT "ManagerDepartment_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberRequirementState" ADD CONSTRAINT "MemberRequirementState_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberRequirementState" ADD CONSTRAINT "MemberRequirementState_requirementId_fkey" FOREIGN KEY ("requirementId") REFERENCES "TrainingRequirement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberComplianceState" ADD CONSTRAINT "MemberComplianceState_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplianceSnapshot" ADD CONSTRAINT "ComplianceSnapshot_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplianceStatement" ADD CONSTRAINT "ComplianceStatement_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A member's status as a whole is the worst of their requirements' statuses (README, Compliance):
-- overdue once their earliest due date has passed, otherwise what their earliest expiry makes it.
-- A member with no requirement is compliant. Decision 016 shows why this equals the worst status.
CREATE FUNCTION "bulwark_member_status"(requirement_count INTEGER, first_due_on DATE, first_expiry TIMESTAMP(3), at TIMESTAMP(3)) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN requirement_count = 0 THEN 'COMPLIANT'
		WHEN first_due_on < CAST(at AS DATE) THEN 'OVERDUE'
		ELSE "bulwark_requirement_status"(first_expiry, first_due_on, at)
	END
$$;

-- One transaction at a time rewrites an organisation's state. Each refresh deletes rows and inserts
-- them again in separate statements; two transactions doing so at once under READ COMMITTED could
-- keep a row the other replaced, or insert one twice. The lock lasts until commit; statements after
-- it see what the previous holder committed.
CREATE FUNCTION "bulwark_lock_compliance"(organisation_id TEXT) RETURNS void
LANGUAGE sql AS $$
	SELECT pg_advisory_xact_lock(hashtextextended('bulwark_compliance:' || organisation_id, 0))
$$;

-- Recomputes the members' aggregates from their requirement rows; null recomputes every member.
CREATE FUNCTION "bulwark_refresh_member_compliance"(organisation_id TEXT, membership_ids TEXT[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM "bulwark_lock_compliance"(organisation_id);
	DELETE FROM "MemberComplianceState" s
	WHERE s."organisationId" = organisation_id AND (membership_ids IS NULL OR s."membershipId" = ANY (membership_ids));
	INSERT INTO "MemberComplianceState" ("membershipId", "organisationId", "departmentId", "requirementCount", "firstDueOn", "firstExpiry")
	SELECT m."id", m."organisationId", m."departmentId", COUNT(r."requirementId"), MIN(r."dueOn"),
		CASE WHEN COUNT(r."requirementId") = COUNT(r."validUntil") THEN MIN(r."validUntil") END
	FROM "Membership" m
	LEFT JOIN "MemberRequirementState" r ON r."membershipId" = m."id"
	WHERE m."organisationId" = organisation_id AND m."deactivatedAt" IS NULL
		AND (membership_ids IS NULL OR m."id" = ANY (membership_ids))
	GROUP BY m."id";
END
$$;

-- Rewrites the stored state from the one definition, bulwark_member_requirements, as of no moment in
-- particular ('infinity'): the rows hold dates, not statuses, so they stay right as days pass.
-- A membership or a requirement narrows it; both null rewrites the organisation.
CREATE FUNCTION "bulwark_refresh_compliance"(organisation_id TEXT, membership_id TEXT, requirement_id TEXT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	removed TEXT[];
	added TEXT[];
BEGIN
	PERFORM "bulwark_lock_compliance"(organisation_id);
	WITH deleted AS (
		DELETE FROM "MemberRequirementState" s
		WHERE s."organisationId" = organisation_id
			AND (membership_id IS NULL OR s."membershipId" = membership_id)
			AND (requirement_id IS NULL OR s."requirementId" = requirement_id)
		RETURNING s."membershipId"
	)
	SELECT array_agg(DISTINCT "membershipId") INTO removed FROM deleted;
	WITH inserted AS (
		INSERT INTO "MemberRequirementState" ("membershipId", "requirementId", "organisationId", "userId", "departmentId", "courseSlug", "appliesSince", "dueOn", "completedAt", "validUntil")
		SELECT r."membershipId", r."requirementId", organisation_id, r."userId", r."departmentId", r."courseSlug", r."appliesSince", r."dueOn", r."completedAt", r."validUntil"
		FROM "bulwark_member_requirements"(organisation_id, CAST('infinity' AS TIMESTAMP(3))) r
		WHERE (membership_id IS NULL OR r."membershipId" = membership_id)
			AND (requirement_id IS NULL OR r."requirementId" = requirement_id)
		RETURNING "membershipId"
	)
	SELECT array_agg(DISTINCT "membershipId") INTO added FROM inserted;
	IF membership_id IS NULL AND requirement_id IS NULL THEN
		PERFORM "bulwark_refresh_member_compliance"(organisation_id, NULL);
	ELSE
		PERFORM "bulwark_refresh_member_compliance"(organisation_id,
			COALESCE(removed, '{}') || COALESCE(added, '{}') || CASE WHEN membership_id IS NULL THEN '{}'::TEXT[] ELSE ARRAY[membership_id] END);
	END IF;
END
$$;

CREATE FUNCTION "bulwark_membership_compliance"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM "bulwark_refresh_compliance"(NEW."organisationId", NEW."id", NULL);
	RETURN NULL;
END
$$;

CREATE FUNCTION "bulwark_requirement_compliance"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		-- Its rows go with it (foreign key); every member's aggregate may have counted them.
		PERFORM "bulwark_lock_compliance"(OLD."organisationId");
		DELETE FROM "MemberRequirementState" WHERE "requirementId" = OLD."id";
		PERFORM "bulwark_refresh_member_compliance"(OLD."organisationId", NULL);
	ELSE
		PERFORM "bulwark_refresh_compliance"(NEW."organisationId", NULL, NEW."id");
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION "bulwark_requirement_department_compliance"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	changed "RequirementDepartment" := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	organisation_id TEXT := (SELECT r."organisationId" FROM "TrainingRequirement" r WHERE r."id" = changed."requirementId");
BEGIN
	-- Without its requirement (deleted in the same cascade) there is nothing left to refresh.
	IF organisation_id IS NOT NULL THEN
		PERFORM "bulwark_refresh_compliance"(organisation_id, NULL, changed."requirementId");
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION "bulwark_completion_compliance"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	member RECORD;
BEGIN
	FOR member IN
		SELECT m."id", m."organisationId" FROM "Membership" m
		WHERE m."userId" = CASE WHEN TG_OP = 'DELETE' THEN OLD."userId" ELSE NEW."userId" END AND m."deactivatedAt" IS NULL
		-- Organisations locked in one order, so two learners' completions never deadlock.
		ORDER BY m."organisationId"
	LOOP
		PERFORM "bulwark_refresh_compliance"(member."organisationId", member."id", NULL);
	END LOOP;
	RETURN NULL;
END
$$;

CREATE TRIGGER "Membership_compliance_insert" AFTER INSERT ON "Membership"
	FOR EACH ROW EXECUTE FUNCTION "bulwark_membership_compliance"();
CREATE TRIGGER "Membership_compliance_update" AFTER UPDATE ON "Membership"
	FOR EACH ROW WHEN (
		OLD."role" IS DISTINCT FROM NEW."role" OR OLD."departmentId" IS DISTINCT FROM NEW."departmentId"
		OR OLD."deactivatedAt" IS DISTINCT FROM NEW."deactivatedAt" OR OLD."joinedAt" IS DISTINCT FROM NEW."joinedAt"
		OR OLD."roleSince" IS DISTINCT FROM NEW."roleSince" OR OLD."departmentSince" IS DISTINCT FROM NEW."departmentSince"
	) EXECUTE FUNCTION "bulwark_membership_compliance"();
CREATE TRIGGER "TrainingRequirement_compliance" AFTER INSERT OR UPDATE OR DELETE ON "TrainingRequirement"
	FOR EACH ROW EXECUTE FUNCTION "bulwark_requirement_compliance"();
CREATE TRIGGER "RequirementDepartment_compliance" AFTER INSERT OR UPDATE OR DELETE ON "RequirementDepartment"
	FOR EACH ROW EXECUTE FUNCTION "bulwark_requirement_department_compliance"();
CREATE TRIGGER "CourseCompletion_compliance" AFTER INSERT OR UPDATE OR DELETE ON "CourseCompletion"
	FOR EACH ROW EXECUTE FUNCTION "bulwark_completion_compliance"();

SELECT "bulwark_refresh_compliance"(o."id", NULL, NULL) FROM "Organisation" o;
