/**
 * The signed-in console's JavaScript (SignedInConsole and the antd it needs), fetched ahead while
 * the sign-in page waits for a click: `<link rel="modulepreload">` fetches and compiles without
 * running, so the first screen stays interactive and the click does not wait for the network.
 *
 * The build writes the chunks' paths into this string (vite.config.ts, nextScreenPreload); under
 * `vite` dev and in tests it keeps its placeholder and nothing is fetched.
 */
const NEXT_SCREEN_ASSETS: string = '__NEXT_SCREEN_ASSETS__';

let preloaded = false;

export function preloadSignedInConsole(): void {
  if (preloaded || !NEXT_SCREEN_ASSETS.startsWith('/')) return;
  preloaded = true;
  // After the sign-in page has painted: the fetches must not delay its first frame.
  const start = () => {
    for (const href of NEXT_SCREEN_ASSETS.split(',')) {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.crossOrigin = '';
      link.href = href;
      document.head.append(link);
    }
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(start, { timeout: 1000 });
  else setTimeout(start, 200);
}
