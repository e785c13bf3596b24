import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { continueAfterFirstFactor } from '#app/modules/auth/mfa/login-challenge.server.ts'
import { finishSsoSignIn } from '#app/modules/sso/sign-in.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { getAppOrigin } from '#app/utils/http.server.ts'

export const meta: MetaFunction = () => [{ title: 'Sign in with SSO · Bulwark' }]

// A refusal clears the cookie of the spent sign-in.
export const headers: HeadersFunction = ({ errorHeaders }) => errorHeaders ?? new Headers()

/**
 * The provider's redirect back (OpenID Connect's redirection endpoint). It is a GET because the
 * protocol makes it one; it writes only after state, PKCE, ID token and nonce were checked, and
 * its state works once (docs/decisions/026-single-sign-on-oidc.md).
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const { userId, redirectTo, clearCookie } = await finishSsoSignIn({ request, origin: getAppOrigin(request, getEnv().APP_URL) })
	// The provider stands in for the password only: an account with a second factor is asked for it
	// before any session exists, as after a password.
	const response = await continueAfterFirstFactor(request, userId, redirectTo)
	response.headers.append('Set-Cookie', clearCookie)
	return response
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
