import { Link } from '@remix-run/react'

/** Freshly made recovery codes, shown once: only their hashes are kept. */
export function RecoveryCodesNotice({ codes, continueTo, onContinue }: { codes: string[]; continueTo: string; onContinue?: () => void }) {
	return (
		<section className="card" aria-labelledby="recovery-codes-title">
			<h2 id="recovery-codes-title" className="flush-top">
				Save your recovery codes
			</h2>
			<p>
				If you lose your authenticator app or passkeys, each of these codes lets you log in once. Store them somewhere safe, such as a
				password manager. They are shown only now.
			</p>
			<ul className="recovery-codes" aria-label="Recovery codes">
				{codes.map((code) => (
					<li key={code}>{code}</li>
				))}
			</ul>
			<p>
				<Link className="button" to={continueTo} onClick={onContinue}>
					I have saved them, continue
				</Link>
			</p>
		</section>
	)
}
