import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { logout } from '#app/modules/auth/auth.server.ts'

export function loader() {
	return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
	return logout(request)
}
