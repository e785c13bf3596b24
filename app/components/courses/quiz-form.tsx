import { getFormProps, type SubmissionResult } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { ErrorList, useSchemaForm } from '#app/components/forms.tsx'
import { type PublicQuestion, quizSubmissionSchema } from '#app/modules/courses/quiz.ts'

const TYPE_HINTS: Record<PublicQuestion['type'], string> = {
	single: 'Choose one answer.',
	multiple: 'Choose every answer that applies.',
	'true-false': 'True or false?',
}

export function QuizForm({ quiz, lastResult }: { quiz: { attemptId: string; questions: PublicQuestion[] }; lastResult?: SubmissionResult<string[]> | null }) {
	const [form] = useSchemaForm(quizSubmissionSchema(quiz.questions), { id: `quiz-${quiz.attemptId}`, lastResult })
	const submitting = useNavigation().state === 'submitting'
	return (
		<Form method="POST" {...getFormProps(form)} className="quiz-form">
			<h2 className="flush-top">Quiz</h2>
			<p className="muted">
				{quiz.questions.length} questions. Your answers are checked when you submit; then you see an explanation for each.
			</p>
			<input type="hidden" name="intent" value="submit-quiz" />
			<input type="hidden" name="attemptId" value={quiz.attemptId} />
			<ErrorList id={form.errorId} errors={form.errors} />
			<ol className="quiz-questions">
				{quiz.questions.map((question, index) => {
					const name = `answers.${question.id}`
					// Errors about one chosen option arrive under answers.<id>[index].
					const errors = Object.entries(form.allErrors).flatMap(([key, messages]) => (key === name || key.startsWith(`${name}[`) ? messages : []))
					const errorId = `${form.id}-${question.id}-error`
					return (
						<li key={question.id}>
							<fieldset className="quiz-question" aria-describedby={errors?.length ? errorId : undefined} aria-invalid={errors?.length ? true : undefined}>
								<legend>
									<span className="visually-hidden">Question {index + 1}: </span>
									{question.prompt}
								</legend>
								<p className="muted small">{TYPE_HINTS[question.type]}</p>
								{question.options.map((option) => (
									<label key={option.id} className="quiz-option">
										<input type={question.type === 'multiple' ? 'checkbox' : 'radio'} name={name} value={option.id} />
										<span>{option.text}</span>
									</label>
								))}
								<ErrorList id={errorId} errors={errors} />
							</fieldset>
						</li>
					)
				})}
			</ol>
			<button type="submit" className="button" disabled={submitting}>
				{submitting ? 'Checking your answers…' : 'Submit answers'}
			</button>
		</Form>
	)
}
