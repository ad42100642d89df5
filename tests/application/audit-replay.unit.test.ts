import { describe, expect, it } from 'vitest';
import { AuditService } from '../../src/application/assistance/audit.service';
import { START, type EventStore, type RecordedEvent } from '../../src/application/event-store';
import type { JurisdictionResolver } from '../../src/application/jurisdiction';

/** A decision event as the log would hold it; only what the replay's bookkeeping reads matters here. */
function decision(streamId: string, decisionId: string): RecordedEvent {
  return {
    eventId: `e-${decisionId}`,
    streamId,
    version: 1,
    type: 'CaseDecided',
    schemaVersion: 1,
    data: { decisionId, caseId: streamId.replace('case-', ''), decisionDate: '2024-03-01', policy: { id: 'p', contentHash: 'h' } },
    metadata: {
      actorId: 'a',
      actorRole: 'admin',
      commandId: 'c',
      correlationId: 'c',
      causationId: null,
      recordedAt: '2024-03-01T00:00:00.000Z',
      schemaVersion: 1,
    },
    recordedAt: '2024-03-01T00:00:00.000Z',
    position: START,
    hash: 'h',
    prevHash: 'p',
  };
}

/** The two read paths of the replay, given apart: what the streams hold and what the global log yields. */
function store(inStreams: RecordedEvent[], inLog: RecordedEvent[]): EventStore {
  return {
    async *readStreamsByPrefix(prefix: string) {
      yield* inStreams.filter((e) => e.streamId.startsWith(prefix));
    },
    async readAll(after: string) {
      return after === START ? { events: inLog, next: 'end' as never } : { events: [], next: after };
    },
    async verify() {
      return { streamsChecked: 0, eventsChecked: 0, broken: [] };
    },
  } as unknown as EventStore;
}

const auditor = { actor: { id: 'auditor-1', role: 'auditor' as const }, now: new Date('2026-03-02T09:00:00.000Z') };
const service = (s: EventStore) => new AuditService(s, null as never, null as unknown as JurisdictionResolver, null as never, 50);

describe('the auditor’s replay cannot check nothing', () => {
  describe('when the global log does not reach decisions the case streams hold (a restore hid them)', () => {
    it('fails, counting the decisions that exist against the ones it re-ran', async () => {
      const report = await service(store([decision('case-1', 'd1'), decision('case-2', 'd2')], [])).replay(auditor);
      expect(report).toMatchObject({ ok: false, decisionsInLog: 2, decisionsReplayed: 0 });
      expect(report.mismatches.map((m) => [m.decisionId, m.reason])).toEqual([
        ['d1', expect.stringContaining('global log did not reach it')],
        ['d2', expect.stringContaining('global log did not reach it')],
      ]);
    });
  });

  describe('when the global log holds a decision outside any case stream', () => {
    it('fails and names it', async () => {
      const report = await service(store([], [decision('other-9', 'd9')])).replay(auditor);
      expect(report).toMatchObject({ ok: false, decisionsInLog: 0, decisionsReplayed: 1 });
      expect(report.mismatches[0]).toMatchObject({ decisionId: 'd9', reason: expect.stringContaining('not in a case stream') });
    });
  });

  describe('when both paths agree', () => {
    it('re-runs each decision once and reports both counts (a decision of an unknown policy is a mismatch, not skipped)', async () => {
      const d = decision('case-1', 'd1');
      const report = await service(store([d], [d])).replay(auditor, { from: '2024-01-01', to: '2024-12-31' });
      expect(report).toMatchObject({ decisionsInLog: 1, decisionsReplayed: 1, range: { from: '2024-01-01', to: '2024-12-31' } });
      expect(report.mismatches).toEqual([
        expect.objectContaining({ decisionId: 'd1', reason: expect.stringContaining('policy version p is not in the history') }),
      ]);
      const outside = await service(store([d], [d])).replay(auditor, { from: '2025-01-01' });
      expect(outside).toMatchObject({ ok: true, decisionsInLog: 0, decisionsReplayed: 0 });
    });
  });
});
