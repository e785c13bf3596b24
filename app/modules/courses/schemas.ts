import { z } from 'zod'
import { LANGUAGES } from './course-schema.ts'

export const LanguagePreferenceSchema = z.object({
	intent: z.literal('language'),
	language: z.enum(LANGUAGES, { errorMap: () => ({ message: 'Choose English or Deutsch' }) }),
})

/** The lesson page's plain buttons; the quiz form has its own schema (quizSubmissionSchema). */
export const LessonIntentSchema = z.enum(['complete', 'submit-quiz'], {
	errorMap: () => ({ message: 'This form is not one the lesson page knows; reload the page' }),
})

export const CourseIntentSchema = z.object({
	intent: z.literal('restart', { errorMap: () => ({ message: 'This form is not one the course page knows; reload the page' }) }),
})
