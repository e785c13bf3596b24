import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { logout } from '#app/modules/auth/auth.server.ts'
import { readForm } from '#app/utils/form-submission.server.ts'

export function loader() {
	return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
	// The form has no fields, but it is read like every other, so no body can ask more of the server.
	await readForm(request)
	return logout(request)
}
