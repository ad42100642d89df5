import type { Actor } from '../application/actor';

/** The bureau's account that sets the county up (geography, stations, hiring): the admin of the demo. */
export const DEMO_ADMIN: Actor = { id: 'demo-admin', role: 'admin' };
