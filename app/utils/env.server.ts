import { z } from 'zod'

const booleanFlag = z
	.enum(['true', 'false', '1', '0', ''])
	.optional()
	.transform((value) => value === 'true' || value === '1')

const EnvSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// URL (leave it unset for the embedded database)')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	PGLITE_DATA_DIR: z.string().min(1).default('./data/pglite'),
	// The database's limits (docs/decisions/018-database-timeouts-and-503.md).
	DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
	DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
	DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
	DATABASE_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
	APP_URL: z.string().url('APP_URL must be an absolute URL such as https://training.example.com').optional(),
	TRUST_PROXY: booleanFlag,
	// Signs the flash cookie; unset, a random key per process (docs/decisions/019-signed-flash-and-cache-control.md).
	COOKIE_SECRET: z
		.string()
		.min(32, 'COOKIE_SECRET must be at least 32 characters (for example `openssl rand -base64 32`)')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	// Encrypts secrets the app must read back (SSO client secrets, links waiting in the outbox);
	// docs/decisions/022-secrets-encrypted-at-rest.md. Required in production.
	ENCRYPTION_KEY: z
		.string()
		.min(32, 'ENCRYPTION_KEY must be at least 32 characters (for example `openssl rand -base64 32`)')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	// Lets the app talk to an OpenID Provider over plain HTTP on this machine even in production
	// mode: for the Playwright run only (docs/decisions/026-single-sign-on-oidc.md).
	SSO_ALLOW_HTTP_LOCALHOST: booleanFlag,
	SMTP_URL: z
		.string()
		.regex(/^smtps?:\/\//, 'SMTP_URL must be an smtp:// or smtps:// URL')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	MAIL_FROM: z.string().min(3).default('Bulwark <no-reply@localhost>'),
	// How often the outbox worker looks for messages to send (docs/decisions/023-outbox-worker.md).
	OUTBOX_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
	MAX_BODY_BYTES: z.coerce.number().int().positive().default(256 * 1024),
	// The member import's CSV upload (and its preview sent back to apply) may be larger.
	MAX_IMPORT_BYTES: z.coerce.number().int().positive().default(4 * 1024 * 1024),
	COURSES_DIR: z.string().min(1).default('./courses'),
	COURSE_MANIFEST: z.string().min(1).default('./build/courses/manifest.json'),
})

const ProductionRules = EnvSchema.refine((env) => env.NODE_ENV !== 'production' || env.ENCRYPTION_KEY, {
	path: ['ENCRYPTION_KEY'],
	message: 'ENCRYPTION_KEY is required in production (for example `openssl rand -base64 32`): it keeps SSO secrets and emailed links encrypted in the database',
})

export type Env = z.infer<typeof EnvSchema>

let cached: Env | undefined

/** Validates an environment; throws a readable list of problems. */
export function parseEnv(source: Record<string, string | undefined>): Env {
	const parsed = ProductionRules.safeParse(source)
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
		throw new Error(`Invalid environment variables:\n${problems.join('\n')}`)
	}
	return parsed.data
}

/** Reads and validates the environment once; an invalid value stops start-up with a readable list. */
export function getEnv(): Env {
	cached ??= parseEnv(process.env)
	return cached
}

/** Where links in email from a script or a scheduled job point: APP_URL, else this machine's port. */
export function configuredAppOrigin() {
	const env = getEnv()
	return env.APP_URL ? new URL(env.APP_URL).origin : `http://localhost:${env.PORT}`
}
