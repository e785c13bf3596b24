import { prisma } from '#app/utils/db.server.ts'
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './course-schema.ts'

/** The signed-in learner's setting; for visitors, the first supported language their browser asks for. */
export function preferredLanguage(request: Request, user: { language: Language } | null | undefined): Language {
	if (user) return user.language
	const header = request.headers.get('Accept-Language') ?? ''
	const requested = header
		.split(',')
		.map((part) => {
			const [tag = '', ...params] = part.trim().split(';')
			const quality = Number(params.find((param) => param.trim().startsWith('q='))?.trim().slice(2) ?? 1)
			return { language: tag.toLowerCase().split('-')[0] ?? '', quality: Number.isFinite(quality) ? quality : 0 }
		})
		.filter((entry) => entry.quality > 0)
		.sort((a, b) => b.quality - a.quality)
	const match = requested.find((entry) => (LANGUAGES as readonly string[]).includes(entry.language))
	return (match?.language as Language | undefined) ?? DEFAULT_LANGUAGE
}

export async function setLanguage(userId: string, language: Language) {
	await prisma.user.update({ where: { id: userId }, data: { language }, select: { id: true } })
}
