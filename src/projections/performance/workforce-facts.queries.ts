/**
 * Facts the performance metrics read from other modules' read models (workforce, geography,
 * visits, assistance), each read by the function of the module that owns the table. Only ids,
 * dates and the fields the rules need: no names, ID numbers or health data of households ever
 * leave here.
 */
export { initialDecisionsBy, submissionsBy } from '../assistance/decision-facts.queries';
export { groupsAndHouseholds } from '../geography/places.queries';
export { responsibilitiesOverlapping as responsibilities } from '../geography/responsibilities.queries';
export { reviewVisits, visitsBy } from '../visits/visit-facts.queries';
export { mentoringPairs, trainingSessions, workersEmployed, type WorkerRow } from '../workforce/workforce-facts.queries';
