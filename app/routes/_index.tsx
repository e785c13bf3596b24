import { type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { getAuthSession } from '#app/modules/auth/auth.server.ts'

/** The public front page; signed-in people start on their dashboard. */
export async function loader({ request }: LoaderFunctionArgs) {
	const { session } = await getAuthSession(request)
	if (session) throw redirect('/dashboard')
	return null
}

export default function Index() {
	return (
		<section className="hero">
			<h1>Security training your people finish, and compliance you can show</h1>
			<p>
				Bulwark is open-source security-awareness training. Learners take short, practical courses; managers see who meets the
				organisation's minimum training, and can prove it to auditors and customers.
			</p>
			<div className="actions">
				<Link to="/signup" className="button">
					Sign up free
				</Link>
				<Link to="/courses" className="button button-secondary">
					Browse the courses
				</Link>
				<Link to="/login">Log in</Link>
			</div>
		</section>
	)
}
