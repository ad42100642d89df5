const DISPLAY_NAME = Symbol.for('fastify.display-name');

/**
 * Gives a route plugin the name fastify would find for it anyway (its function's name), before
 * fastify goes looking. Fastify names a plugin without a display name by comparing it with the
 * exports of every module in `require.cache`, twice per registration: with the forty-odd route
 * plugins that was a fifth of an app's start in a test worker (61 of ≈ 300 ms of CPU, where the
 * cache holds the test runner's modules too), and it grows with every module a process loads.
 * Plugins wrapped by fastify-plugin carry a name already.
 */
export function named<Plugin extends { name: string }>(plugin: Plugin): Plugin {
  if (!Object.prototype.hasOwnProperty.call(plugin, DISPLAY_NAME)) Object.defineProperty(plugin, DISPLAY_NAME, { value: plugin.name });
  return plugin;
}
