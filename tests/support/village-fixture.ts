import { expectStatus } from './api-expect';
import { idNumber } from './national-ids';

/**
 * The smallest area most HTTP tests start from, made through the API as an admin would: a town,
 * one village in it and a village worker posted there (ids returned). Groups, households and who
 * is responsible for what stay with each test, since that is what they vary.
 */
export async function townVillageAndWorker(call: (method: 'POST', url: string, payload: object) => Parameters<typeof expectStatus>[0]) {
  const created = async (url: string, payload: object) => ((await expectStatus(call('POST', url, payload), 201)) as { id: string }).id;
  const town = await created('/api/v1/towns', { code: '530626100', name: '中城镇' });
  const village = await created('/api/v1/villages', { townId: town, code: '530626100201', name: '回望村' });
  const worker = await created('/api/v1/workers', {
    name: '村社工甲',
    level: 'village',
    phone: '13900000000',
    idNumber: idNumber('1985-03-03', 31),
    hireDate: '2025-01-01',
    posting: { villageId: village },
  });
  return { town, village, worker };
}
