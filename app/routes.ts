import type { RouteConfig } from '@remix-run/route-config'
import { flatRoutes } from '@remix-run/fs-routes'

// File-based routes in app/routes (flat-routes convention), through Remix's route config.
export default flatRoutes({ ignoredRouteFiles: ['**/*.test.{ts,tsx}', '**/.*'] }) satisfies RouteConfig
