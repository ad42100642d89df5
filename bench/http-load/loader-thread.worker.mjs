// Entry of the HTTP loader's thread (loader-thread.ts): the loader is TypeScript and a worker
// thread does not inherit `npm run`'s tsx loader (nor vitest's), so one is registered here.
const { register } = await import('tsx/esm/api');
register();
await import(new URL('./loader.thread.ts', import.meta.url).href);
