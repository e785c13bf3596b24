-- Every committed change to what the servers cache (docs/decisions/014) is announced on the
-- channel bulwark_change: a session and its user, the user's memberships and their
-- organisations, and the user's learning records. The payload is the user's id, or '*' when the
-- change may concern anyone. PostgreSQL delivers notifications only when the transaction commits
-- and sends repeats within one transaction once.

-- For a row trigger, TG_ARGV[0] names the column that holds the user's id.
CREATE FUNCTION "bulwark_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_LEVEL = 'STATEMENT' OR TG_NARGS = 0 THEN
		PERFORM pg_notify('bulwark_change', '*');
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM pg_notify('bulwark_change', COALESCE(to_jsonb(OLD) ->> TG_ARGV[0], '*'));
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		PERFORM pg_notify('bulwark_change', COALESCE(to_jsonb(NEW) ->> TG_ARGV[0], '*'));
	END IF;
	RETURN NULL;
END
$$;

-- A lesson completion names its run, not its learner.
CREATE FUNCTION "bulwark_notify_lesson_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	changed "LessonCompletion";
BEGIN
	changed := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	PERFORM pg_notify('bulwark_change', COALESCE((SELECT p."userId" FROM "CourseProgress" p WHERE p."id" = changed."progressId"), '*'));
	RETURN NULL;
END
$$;

CREATE TRIGGER "Session_change" AFTER INSERT OR UPDATE OR DELETE ON "Session"
	FOR EACH ROW EXECUTE FUNCTION "bulwark_notify_change"('userId');
CREATE TRIGGER "User_change" AFTER UPDATE OR DELETE ON "User"
	FOR EACH ROW EXECUTE FUNCTION "bulwark_notify_change"('id');
CREATE TRIGGER "Membership_change" AFTER INSERT OR UPDATE OR DELETE ON "Membership"
	FOR EACH ROW EXECUTE FUNCTION "bulwark_notify_change"('userId');
CREATE TRIGGER "Organisation_change" AFTER UPDATE OR DELETE ON "Organisation"
	FOR EACH STATEMENT EXECUTE FUNCTION "bulwark_notify_change"();
CREATE TRIGGER "CourseProgress_change" AFTER INSERT OR UPDATE OR DELETE ON "CourseProgress"
	FOR EACH ROW EXECUTE FUNCTION "bulwark_notify_change"('userId');
CREATE TRIGGER "LessonCompletion_change" AFTER INSERT OR UPDATE OR DELETE ON "LessonCompletion"
	FOR EACH ROW EXECUTE FUNCTION "bulwark_notify_lesson_change"();
CREATE TRIGGER "QuizAttempt_change" AFTER INSERT OR UPDATE OR DELETE ON "QuizAttempt"
	FOR EACH ROW EXECUTE FUNCTION "bulwark_notify_change"('userId');
CREATE TRIGGER "CourseCompletion_change" AFTER INSERT OR UPDATE OR DELETE ON "CourseCompletion"
	FOR EACH ROW EXECUTE FUNCTION "bulwark_notify_change"('userId');

-- TRUNCATE skips row triggers; it may concern anyone.
CREATE TRIGGER "Session_truncate" AFTER TRUNCATE ON "Session" FOR EACH STATEMENT EXECUTE FUNCTION "bulwark_notify_change"();
CREATE TRIGGER "User_truncate" AFTER TRUNCATE ON "User" FOR EACH STATEMENT EXECUTE FUNCTION "bulwark_notify_change"();
CREATE TRIGGER "Membership_truncate" AFTER TRUNCATE ON "Membership" FOR EACH STATEMENT EXECUTE FUNCTION "bulwark_notify_change"();
CREATE TRIGGER "Organisation_truncate" AFTER TRUNCATE ON "Organisation" FOR EACH STATEMENT EXECUTE FUNCTION "bulwark_notify_change"();
CREATE TRIGGER "CourseProgress_truncate" AFTER TRUNCATE ON "CourseProgress" FOR EACH STATEMENT EXECUTE FUNCTION "bulwark_notify_change"();
CREATE TRIGGER "LessonCompletion_truncate" AFTER TRUNCATE ON "LessonCompletion" FOR EACH STATEMENT EXECUTE FUNCTION "bulwark_notify_change"();
CREATE TRIGGER "QuizAttempt_truncate" AFTER TRUNCATE ON "QuizAttempt" FOR EACH STATEMENT EXECUTE FUNCTION "bulwark_notify_change"();
CREATE TRIGGER "CourseCompletion_truncate" AFTER TRUNCATE ON "CourseCompletion" FOR EACH STATEMENT EXECUTE FUNCTION "bulwark_notify_change"();
