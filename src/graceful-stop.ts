import type { Logger } from 'pino';
import type { Service } from './composition-root';

/**
 * Stops the service for a SIGTERM: requests in flight may finish for `timeoutMs`, then their
 * connections are cut (a client waiting on a hung request must not hold the stop forever);
 * projections stop after their current batch and the store closes (Service.stop).
 */
export async function stopGracefully(service: Service, options: { timeoutMs: number; logger: Logger }): Promise<void> {
  const cut = setTimeout(() => {
    options.logger.warn({ afterMs: options.timeoutMs }, 'requests still in flight; closing their connections');
    service.app.server.closeAllConnections();
  }, options.timeoutMs);
  cut.unref();
  try {
    await service.stop();
  } finally {
    clearTimeout(cut);
  }
}
