/** What the web front end is configured with (from the validated environment). */
export interface WebSettings {
  demoSignIn: boolean;
}

export const WEB_SETTINGS = Symbol('WEB_SETTINGS');
