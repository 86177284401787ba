/** Set by the build (client/vite.config.ts `define`); absent where the code runs unbuilt (unit tests). */
declare const __APP_VERSION__: string | undefined;

/** This app's build, as every request reports it in `Chit-App-Version`. */
export const appVersion: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
