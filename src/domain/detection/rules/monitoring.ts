import { isRecent, type Rule } from './signal';

/** 防返贫 monitoring names its main risk cause; the finding takes that cause and the type's severity. */
export const monitoringRule: Rule = ({ observation, policy, today }) => {
  if (observation.kind !== 'monitoring' || observation.riskCause === 'other') return [];
  const p = policy.monitoring;
  const severity = p.severityByType[observation.monitoringType];
  if (!severity || !isRecent(observation.observedOn, today, p.lookbackDays)) return [];
  return [
    {
      cause: observation.riskCause,
      severity,
      reasons: [`under poverty-relapse monitoring since ${observation.observedOn} (${observation.monitoringType.replaceAll('_', ' ')})`],
    },
  ];
};
