import type { ActionFunction } from '@remix-run/node'
import { beforeAll, describe, expect, test } from 'vitest'
import { createRequirement } from '#app/modules/compliance/requirements.server.ts'
import { getCourseLibrary } from '#app/modules/courses/course-library.server.ts'
import { createInvitation } from '#app/modules/organisations/invitations.server.ts'
import { action as complianceAction } from '#app/routes/org.$slug.compliance.tsx'
import { action as invitationsAction } from '#app/routes/org.$slug.invitations.tsx'
import { action as membersAction } from '#app/routes/org.$slug.members.tsx'
import { action as requirementsAction } from '#app/routes/org.$slug.requirements.tsx'
import { action as settingsAction } from '#app/routes/settings.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { ALTERED_FORM_MESSAGE } from '#app/utils/form-submission.server.ts'
import { MEMBERS_COURSE, openQuiz, postLesson } from '#tests/fixtures/learning.ts'
import { addMember, createOrganisationWithAdmin, createSessionCookie, expectData, expectThrownStatus, postRequest, routeContext, uniqueEmail } from '#tests/fixtures/users.ts'

// A hidden field (an intent, a record's id) is written by the page, so a wrong one means the form
// was altered. It must answer with a message the person sees (the route's error page, or the
// form's own error), never the page unchanged, and change nothing.

let slug: string
let cookie: string
let organisationId: string
/** Ids of records in another organisation: well-formed, but not this admin's to act on. */
let foreign: { membershipId: string; requirementId: string; invitationId: string }

const post = (action: ActionFunction, path: string, fields: Record<string, string>) =>
	action({ request: postRequest(path, fields, { cookie }), params: { slug }, context: routeContext() })

const auditCount = () => prisma.auditEvent.count({ where: { organisationId } })

beforeAll(async () => {
	const own = await createOrganisationWithAdmin({ prefix: 'tamper' })
	slug = own.organisation.slug
	organisationId = own.organisation.id
	cookie = (await createSessionCookie(own.admin.id)).cookie
	await addMember(organisationId)

	const other = await createOrganisationWithAdmin({ prefix: 'tamper-other' })
	const { membership } = await addMember(other.organisation.id)
	const course = (await getCourseLibrary()).bySlug.get(MEMBERS_COURSE)!
	const requirement = await createRequirement({
		organisationId: other.organisation.id,
		actorId: other.admin.id,
		requirement: { course, audience: 'EVERYONE', departmentIds: [], roles: [], dueWithinDays: 30, recurrenceMonths: undefined },
	})
	const { invitationId } = await createInvitation({ organisationId: other.organisation.id, actorId: other.admin.id, email: uniqueEmail('tamper-invitee'), role: 'LEARNER', departmentId: null, origin: 'http://localhost' })
	foreign = { membershipId: membership.id, requirementId: requirement.id, invitationId }
})

describe('an altered intent or a malformed id: 400 with the altered-form message', () => {
	test.each([
		['members, an unknown intent', () => post(membersAction, `/org/${slug}/members`, { intent: 'make-owner', membershipId: foreign.membershipId })],
		['members, a malformed id', () => post(membersAction, `/org/${slug}/members`, { intent: 'set-active', membershipId: 'DROP TABLE', active: 'false' })],
		['members, no id', () => post(membersAction, `/org/${slug}/members`, { intent: 'set-active', active: 'false' })],
		['members, an activation neither true nor false', () => post(membersAction, `/org/${slug}/members`, { intent: 'set-active', membershipId: foreign.membershipId, active: 'maybe' })],
		['members, a role the select does not offer', () => post(membersAction, `/org/${slug}/members`, { intent: 'update', membershipId: foreign.membershipId, role: 'GOD', departmentId: '' })],
		['members, a malformed department', () => post(membersAction, `/org/${slug}/members`, { intent: 'update', membershipId: foreign.membershipId, role: 'LEARNER', departmentId: 'ZZZ' })],
		['members, a malformed department among the ticked ones', () => post(membersAction, `/org/${slug}/members`, { intent: 'limit-departments', membershipId: foreign.membershipId, departmentIds: 'ZZZ' })],
		['settings, a language the select does not offer', () => settingsAction({ request: postRequest('/settings', { intent: 'language', language: 'klingon' }, { cookie }), params: {}, context: routeContext() })],
		['requirements, an unknown intent', () => post(requirementsAction, `/org/${slug}/requirements`, { intent: 'delete-all' })],
		['requirements, a malformed id', () => post(requirementsAction, `/org/${slug}/requirements`, { intent: 'pause', requirementId: '../1' })],
		['invitations, an unknown intent', () => post(invitationsAction, `/org/${slug}/invitations`, { intent: 'accept-for-them', email: uniqueEmail('x') })],
		['invitations, no intent', () => post(invitationsAction, `/org/${slug}/invitations`, { email: uniqueEmail('x'), role: 'ADMIN' })],
		['reminders, an unknown intent', () => post(complianceAction, `/org/${slug}/compliance`, { intent: 'remind-everyone-everywhere' })],
		['settings, no intent', () => settingsAction({ request: postRequest('/settings', { language: 'de' }, { cookie }), params: {}, context: routeContext() })],
	] as [string, () => ReturnType<ActionFunction>][])('%s', async (_label, submit) => {
		const before = await auditCount()
		const refused = await expectThrownStatus(Promise.resolve().then(submit), 400)
		expect(refused.data).toEqual({ message: ALTERED_FORM_MESSAGE })
		expect(await auditCount()).toBe(before)
	})
})

describe('a well-formed id of another organisation’s record: refused with a message, nothing changed', () => {
	test.each([
		['a member', () => post(membersAction, `/org/${slug}/members`, { intent: 'set-active', membershipId: foreign.membershipId, active: 'false', confirmed: 'yes' }), 404],
		['a requirement', () => post(requirementsAction, `/org/${slug}/requirements`, { intent: 'remove', requirementId: foreign.requirementId, confirmed: 'yes' }), 404],
		['a reminder', () => post(complianceAction, `/org/${slug}/compliance`, { intent: 'remind', membershipId: foreign.membershipId }), 404],
	] as [string, () => ReturnType<ActionFunction>, number][])('%s', async (_label, submit, status) => {
		const refused = await expectThrownStatus(Promise.resolve().then(submit), status)
		expect(refused.data.message).toMatch(/not in this organisation|does not exist in this organisation|could not find that member/)
		expect(await prisma.membership.count({ where: { id: foreign.membershipId, deactivatedAt: null } })).toBe(1)
		expect(await prisma.trainingRequirement.count({ where: { id: foreign.requirementId } })).toBe(1)
	})

	test('an invitation: the form says it is no longer open', async () => {
		const refused = expectData(await post(invitationsAction, `/org/${slug}/invitations`, { intent: 'revoke', invitationId: foreign.invitationId }), 400)
		expect(refused.data.result.error['']).toEqual(['That invitation is no longer open.'])
		expect(await prisma.invitation.count({ where: { id: foreign.invitationId, revokedAt: null } })).toBe(1)
	})
})

test('a quiz form with another attempt id is refused with a message and grades nothing', async () => {
	await openQuiz(cookie, MEMBERS_COURSE, 'final-quiz')
	const refused = await expectThrownStatus(Promise.resolve(postLesson(cookie, MEMBERS_COURSE, 'final-quiz', { intent: 'submit-quiz', attemptId: 'a'.repeat(24) })), 400)
	expect(refused.data.message).toMatch(/no longer valid\. Reload the page/)
	expect(await prisma.quizAttempt.count({ where: { status: 'SUBMITTED', user: { memberships: { some: { organisationId } } } } })).toBe(0)
})
