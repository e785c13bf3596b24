import { Link } from '@remix-run/react'

type Result = {
	score: number
	passed: boolean
	correctCount: number
	questionCount: number
	questions: { id: string; prompt: string; correct: boolean; explanation: string; options: { text: string; chosen: boolean }[] }[]
}

/** A submitted attempt: the score, then each question with the learner's answer and its explanation. */
export function QuizResult({ result, lessonUrl, passMark }: { result: Result; lessonUrl: string; passMark: number }) {
	return (
		<div id="quiz-result" className="quiz-result" tabIndex={-1}>
			<h2 className="flush-top">{result.passed ? 'Passed' : 'Not passed yet'}</h2>
			<p role="status" className={result.passed ? 'flash flash-success' : 'flash flash-error'}>
				You answered {result.correctCount} of {result.questionCount} questions correctly: {result.score}%.{' '}
				{result.passed ? `That passes (${passMark}% needed).` : `You need ${passMark}% to pass. Read the explanations, then try again.`}
			</p>
			<ol className="quiz-questions">
				{result.questions.map((question) => (
					<li key={question.id} className={question.correct ? 'quiz-answer quiz-answer-correct' : 'quiz-answer quiz-answer-wrong'}>
						<p className="quiz-answer-prompt">
							<strong>{question.prompt}</strong>
						</p>
						<p className="quiz-answer-verdict">{question.correct ? '✓ Correct' : '✗ Not correct'}</p>
						<p className="muted small">
							Your answer: {question.options.filter((option) => option.chosen).map((option) => option.text).join('; ') || 'none'}
						</p>
						<p className="quiz-explanation">{question.explanation}</p>
					</li>
				))}
			</ol>
			<p className="actions">
				<Link to={`${lessonUrl}#quiz`} className={result.passed ? 'button button-secondary' : 'button'}>
					{result.passed ? 'Take the quiz again' : 'Try again'}
				</Link>
			</p>
		</div>
	)
}
