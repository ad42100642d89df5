import { compose } from './composition-root';
import { ConfigError, loadConfig, type Config } from './config';
import { ensureLocalSecret } from './cli/local-secret';
import { announceEndpoint } from './storage/data-dir-lock';
import { stopGracefully } from './graceful-stop';
import { installSafetyNet } from './process-safety-net';
import { demoBannerLines, printDemoProgress } from './demo/demo-banner';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  let generatedSecret = false;
  if (!config.JWT_SECRET && !config.JWT_PUBLIC_KEY && !config.JWKS_URL && !config.OIDC_ISSUER) {
    const local = ensureLocalSecret(config.DATA_DIR);
    config = { ...config, JWT_SECRET: local.secret };
    generatedSecret = local.created;
  }

  const service = await compose(config);
  const { app, deps } = service;
  await service.start();
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  // The PGlite lock file now names this address, for the refusal message of other processes.
  announceEndpoint(address);

  const storage = config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${config.DATA_DIR}/pglite`;
  console.log(`\nSocial-work stations service on ${address} (storage: ${storage})`);
  console.log(`  API docs:  ${address}/docs`);
  if (!config.DATABASE_URL || config.JWT_SECRET) {
    console.log(
      `  Tokens:    npm run token -- --role admin --sub you   ${generatedSecret ? `(a signing secret was generated in ${config.DATA_DIR}/jwt-secret)` : ''}`,
    );
    console.log(`  Then:      curl -H "Authorization: Bearer $TOKEN" ${address}/api/v1/towns${service.demo ? '' : '\n'}`);
  }
  if (service.demo) {
    for (const line of demoBannerLines(service.demo.status(), address)) console.log(line);
    console.log('');
    printDemoProgress(service.demo, (line) => console.log(line));
    // After listening: a load begun earlier would hold up /health (with PGLITE_THREAD=main it runs
    // in this thread; otherwise in PGlite's worker thread, whose connection it shares with requests).
    void service.demo.start(service);
  }

  // One node process (`npm start` is `node --import tsx src/main.ts`, no tsx child): it gets
  // SIGTERM from a supervisor and SIGINT/SIGTERM forwarded by npm, and stops in this order:
  // stop accepting and drain requests in flight (bounded), stop projections after their
  // current batch (the checkpoint commits with it), close the store.
  let shuttingDown = false;
  const shutdown = async (reason: string, exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    deps.logger.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      deps.logger.error('shutdown did not finish; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 5_000);
    force.unref();
    try {
      await stopGracefully(service, { timeoutMs: config.SHUTDOWN_TIMEOUT_MS, logger: deps.logger });
      deps.logger.info('stopped');
    } catch (error) {
      deps.logger.error({ error: (error as Error)?.name }, 'shutdown failed');
      exitCode = 1;
    }
    process.exit(exitCode);
  };
  installSafetyNet(deps.logger, (origin) => void shutdown(origin, 1));
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
}

main().catch((error) => {
  console.error('failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
