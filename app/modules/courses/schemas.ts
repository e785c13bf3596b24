import { z } from 'zod'
import { setByPage } from '#app/utils/form-fields.ts'
import { LANGUAGES } from './course-schema.ts'

export const LanguagePreferenceSchema = z.object({
	intent: z.literal('language'),
	language: setByPage(z.enum(LANGUAGES, { errorMap: () => ({ message: 'Choose English or Deutsch' }) })),
})

export const CourseIntentSchema = z.object({
	intent: z.literal('restart', { errorMap: () => ({ message: 'This form is not one the course page knows; reload the page' }) }),
})
