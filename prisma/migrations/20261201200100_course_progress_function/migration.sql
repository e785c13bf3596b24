-- The learner's current run through a course: the lessons done, the quizzes passed since the run
-- started, and the completion the run earned. Every lesson page reads it (docs/decisions/014);
-- as a PL/pgSQL function its plan is made once per connection instead of once per page, which on
-- the embedded database is most of the read's cost. Replace it in a new migration when one of
-- these tables changes.
CREATE FUNCTION "bulwark_course_progress"(learner_id TEXT, course_slug TEXT)
RETURNS TABLE (
	"id" TEXT,
	"runStartedAt" TIMESTAMP(3),
	"resumeLessonSlug" TEXT,
	"doneLessons" TEXT[],
	"passedQuizzes" TEXT[],
	"completionId" TEXT,
	"completedAt" TIMESTAMP(3),
	"expiresAt" TIMESTAMP(3),
	"certificateCode" TEXT,
	"revokedAt" TIMESTAMP(3)
)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT p."id", p."runStartedAt", p."resumeLessonSlug",
		ARRAY(SELECT l."lessonSlug" FROM "LessonCompletion" l WHERE l."progressId" = p."id"),
		ARRAY(
			SELECT DISTINCT a."lessonSlug" FROM "QuizAttempt" a
			WHERE a."userId" = p."userId" AND a."courseSlug" = p."courseSlug" AND a."status" = 'SUBMITTED'
				AND a."passed" AND a."submittedAt" >= p."runStartedAt"
		),
		c."id", c."completedAt", c."expiresAt", c."certificateCode", c."revokedAt"
	FROM "CourseProgress" p
	LEFT JOIN "CourseCompletion" c ON c."id" = p."completionId"
	WHERE p."userId" = learner_id AND p."courseSlug" = course_slug;
END
$$;
