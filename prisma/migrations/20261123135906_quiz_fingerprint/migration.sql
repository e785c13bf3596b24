-- AlterTable
ALTER TABLE "QuizAttempt" ADD COLUMN     "quizFingerprint" TEXT NOT NULL DEFAULT '';
