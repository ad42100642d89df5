import type { CoverageReport } from './coverage-model';

/**
 * A small county for the board's tests: one town, two villages. 河湾村 has an operating point and
 * two groups (一组 covered and visited, 二组 with nobody responsible and no visit this month);
 * 山背村's point is only planned, its one group covered and visited.
 */
export const coverageFixture = (): CoverageReport => ({
  asOf: '2023-12-15',
  towns: [
    {
      id: 't1',
      code: '01',
      name: '青山镇',
      townStation: { stationId: 's0', status: 'operating', quality: true },
      linkedCountyWorkers: [{ workerId: 'w0', name: '王县' }],
      villages: [
        {
          id: 'v1',
          code: '0101',
          name: '河湾村',
          townId: 't1',
          servicePoint: { stationId: 's1', status: 'operating' },
          groups: [
            {
              id: 'g1',
              code: '010101',
              name: '一组',
              villageId: 'v1',
              responsibleWorker: { workerId: 'w1', name: '李村', level: 'village' },
              linkedTownWorkers: [],
              visitedThisMonth: true,
              visitsThisMonth: 3,
            },
            {
              id: 'g2',
              code: '010102',
              name: '二组',
              villageId: 'v1',
              responsibleWorker: null,
              linkedTownWorkers: [],
              visitedThisMonth: false,
              visitsThisMonth: 0,
            },
          ],
        },
        {
          id: 'v2',
          code: '0102',
          name: '山背村',
          townId: 't1',
          servicePoint: { stationId: 's2', status: 'planned' },
          groups: [
            {
              id: 'g3',
              code: '010201',
              name: '三组',
              villageId: 'v2',
              responsibleWorker: { workerId: 'w1', name: '李村', level: 'village' },
              linkedTownWorkers: [],
              visitedThisMonth: true,
              visitsThisMonth: 1,
            },
          ],
        },
      ],
    },
  ],
  totals: { towns: 1, villages: 2, groups: 3, groupsCovered: 2, groupCoverageRate: 0.667, certificationRate: 0.5, workers: 4, certifiedWorkers: 2 },
});
