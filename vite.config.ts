import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig } from 'vite'

declare module '@remix-run/node' {
	interface Future {
		v3_singleFetch: true
	}
}

export default defineConfig({
	build: { target: 'es2022', cssMinify: true },
	// The dependency scan follows route files into *.server.ts modules; argon2's native bindings
	// are server-only and must not be pre-bundled for the browser. recharts is pre-bundled from the
	// start: found later, Vite re-bundles React apart from it and the charts' hooks fail.
	optimizeDeps: { exclude: ['@node-rs/argon2'], include: ['recharts'] },
	server: { watch: { ignored: ['**/data/**', '**/playwright-report/**', '**/test-results/**'] } },
	plugins: [
		remix({
			future: {
				v3_fetcherPersist: true,
				v3_relativeSplatPath: true,
				v3_throwAbortReason: true,
				v3_singleFetch: true,
				v3_lazyRouteDiscovery: true,
				v3_routeConfig: true,
			},
		}),
	],
})
