import { compose } from './composition-root';
import { ConfigError, loadConfig, type Config } from './config';
import { ensureLocalSecret } from './cli/local-secret';
import { announceEndpoint } from './storage/data-dir-lock';

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
  if (!config.JWT_SECRET && !config.JWT_PUBLIC_KEY && !config.JWKS_URL) {
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
    console.log(`  Then:      curl -H "Authorization: Bearer $TOKEN" ${address}/api/v1/towns\n`);
  }

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    deps.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await service.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error('failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
