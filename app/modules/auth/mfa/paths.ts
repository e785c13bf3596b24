/** Pages of the second-factor flows, for the server and the browser alike. */
export const SECOND_FACTOR_PATH = '/login/second-factor'
export const SECURITY_SETTINGS_PATH = '/settings/security'
