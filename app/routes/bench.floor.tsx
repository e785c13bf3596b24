/**
 * The framework's floor for `npm run bench`: a page that does nothing of its own, served through
 * the same server, root layout and security headers as every other page.
 */
export default function Floor() {
	return <p>ok</p>
}
