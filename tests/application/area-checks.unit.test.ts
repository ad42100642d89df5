import { describe, expect, it } from 'vitest';
import { AreaCheckLog, recordAreaChecks } from '../../src/application/area-checks';
import { canSee, covers, type Jurisdiction } from '../../src/application/jurisdiction';

/** What an idempotent replay re-checks (issue 13, finding 5): the area checks its request passed. */
describe('area checks noted while a request runs', () => {
  const village: Jurisdiction = { scope: 'groups', groupIds: new Set(['g1']), villageIds: new Set(['v1']), townIds: new Set(['t1']) };
  const town: Jurisdiction = { scope: 'towns', townIds: new Set(['t1']) };

  it('notes each passed check once, with its kind, and no refused one', async () => {
    const log = new AreaCheckLog();
    await recordAreaChecks(log, async () => {
      for (let i = 0; i < 1000; i++) covers(village, { townId: 't1', villageId: 'v1', groupId: 'g1' });
      await Promise.resolve();
      canSee(village, { townId: 't1', villageId: 'v1' });
      covers(village, { townId: 't1', villageId: 'v1', groupId: 'g2' });
      covers(town, { townId: 't2' });
      covers(town, { townId: 't1' });
    });
    expect(log.checks).toEqual([
      { kind: 'covers', place: { townId: 't1', villageId: 'v1', groupId: 'g1' } },
      { kind: 'canSee', place: { townId: 't1', villageId: 'v1', groupId: null } },
      { kind: 'covers', place: { townId: 't1', villageId: null, groupId: null } },
    ]);
  });

  it('notes nothing for a caller who may act everywhere, nor outside a recording', () => {
    const log = new AreaCheckLog();
    recordAreaChecks(log, () => covers({ scope: 'all' }, { townId: 't1' }));
    expect(log.checks).toEqual([]);
    // A recording ends with its function: later checks are not the request's.
    const ended = new AreaCheckLog();
    recordAreaChecks(ended, () => undefined);
    covers(town, { townId: 't1' });
    expect(ended.checks).toEqual([]);
  });
});
