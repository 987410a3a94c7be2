// Options for the Remix Vite plugin; vite.config.ts imports them.
/** @type {import('@remix-run/dev').VitePluginConfig} */
export default {
  // SF_BUILD_DIR lets parallel work build and test side by side (build/ by default).
  buildDirectory: process.env.SF_BUILD_DIR ?? 'build',
  ignoredRouteFiles: ['**/*.test.{ts,tsx}', '**/.*'],
  serverModuleFormat: 'esm',
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
    v3_routeConfig: false,
  },
}
