/** Where the Playwright run's OpenID Provider listens (this project's range 3110–3119); override with E2E_OIDC_PROVIDER_PORT. */
export const TEST_PROVIDER_PORT = Number(process.env.E2E_OIDC_PROVIDER_PORT ?? 3110)
export const TEST_PROVIDER_ISSUER = `http://localhost:${TEST_PROVIDER_PORT}`
