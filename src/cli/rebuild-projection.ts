import { compose } from '../composition-root';
import { loadConfig } from '../config';

/**
 * npm run projections:rebuild -- NAME
 * Empties the read model and replays the log into it. Safe while the service runs: checkpoints
 * are compare-and-set, so two processes never apply the same batch twice.
 */
const name = process.argv[2];
const config = loadConfig();
const service = await compose({ ...config, JWT_SECRET: config.JWT_SECRET ?? 'x'.repeat(32) });
const engine = service.deps.projections;
try {
  if (!name || !engine.names.includes(name)) {
    console.error(`usage: npm run projections:rebuild -- NAME   (one of: ${engine.names.join(', ')})`);
    process.exitCode = 2;
  } else {
    await engine.rebuild(name);
    await engine.catchUp();
    const status = (await engine.status()).find((s) => s.name === name)!;
    console.log(`rebuilt ${name}: ${status.eventsApplied} events applied, lag ${status.lag}`);
  }
} finally {
  await service.stop();
}
