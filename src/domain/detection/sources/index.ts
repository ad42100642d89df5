import type { Source } from '../vocabulary';
import { disabilityFederationSource } from './disability-federation';
import { educationSource } from './education';
import { emergencyManagementSource } from './emergency-management';
import { healthSource } from './health';
import { medicalInsuranceSource } from './medical-insurance';
import { ruralRevitalizationSource } from './rural-revitalization';
import type { SourceDefinition } from './source-definition';

export type { SourceDefinition } from './source-definition';

/** Every source, by name: a new department is one file and one line here. */
export const SOURCE_DEFINITIONS: Record<Source, SourceDefinition> = {
  education: educationSource,
  medical_insurance: medicalInsuranceSource,
  health: healthSource,
  disability_federation: disabilityFederationSource,
  rural_revitalization: ruralRevitalizationSource,
  emergency_management: emergencyManagementSource,
};
