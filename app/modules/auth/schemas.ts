import { z } from 'zod'

/** Shared by Conform in the browser and by the actions on the server. */

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256

export const EmailSchema = z
	.string({ required_error: 'Enter your email address' })
	.trim()
	.max(254, 'That email address is too long')
	.email('Enter a valid email address, like name@example.com')
	.transform((email) => email.toLowerCase())

export const NameSchema = z
	.string({ required_error: 'Enter your name' })
	.trim()
	.min(1, 'Enter your name')
	.max(100, 'Use at most 100 characters')

/** NIST SP 800-63B: length, not composition rules; the common-password check runs on the server. */
export const NewPasswordSchema = z
	.string({ required_error: 'Choose a password' })
	.min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters; a passphrase of a few words is easiest`)
	.max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`)

/** Where to go after signing in; only paths on this site, never another origin. */
export const RedirectToSchema = z
	.string()
	.optional()
	.transform((value) => (value && /^\/(?![/\\])/.test(value) ? value : undefined))

export const SignupSchema = z.object({
	name: NameSchema,
	email: EmailSchema,
	password: NewPasswordSchema,
	redirectTo: RedirectToSchema,
})

export const LoginSchema = z.object({
	email: EmailSchema,
	password: z.string({ required_error: 'Enter your password' }).max(PASSWORD_MAX_LENGTH, 'That password is too long'),
	redirectTo: RedirectToSchema,
})

export const ChangePasswordSchema = z
	.object({
		currentPassword: z.string({ required_error: 'Enter your current password' }).max(PASSWORD_MAX_LENGTH),
		newPassword: NewPasswordSchema,
		confirmPassword: z.string({ required_error: 'Repeat the new password' }),
	})
	.refine((value) => value.newPassword === value.confirmPassword, {
		path: ['confirmPassword'],
		message: 'The two new passwords do not match',
	})
