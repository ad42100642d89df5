import type { DisabilityType, HardshipCause, ParentSituation, Residence, SupporterIncapacityReason } from '../policy/policy-vocabulary';
import type { Bilingual } from './eligibility-result';
import type { SupporterRelation } from './eligibility-facts';

/** Names of the vocabulary values, as reasons print them. */

export const RESIDENCE_LABELS: Record<Residence, Bilingual> = {
  urban: { zh: '城市', en: 'urban' },
  rural: { zh: '农村', en: 'rural' },
};

export const DISABILITY_LABELS: Record<DisabilityType, Bilingual> = {
  visual: { zh: '视力残疾', en: 'visual disability' },
  hearing: { zh: '听力残疾', en: 'hearing disability' },
  speech: { zh: '言语残疾', en: 'speech disability' },
  physical: { zh: '肢体残疾', en: 'physical disability' },
  intellectual: { zh: '智力残疾', en: 'intellectual disability' },
  mental: { zh: '精神残疾', en: 'mental disability' },
  multiple: { zh: '多重残疾', en: 'multiple disabilities' },
};

export const SUPPORTER_INCAPACITY_LABELS: Record<SupporterIncapacityReason, Bilingual> = {
  tekun: { zh: '本人为特困人员', en: 'is themselves a 特困 person' },
  dibao_aged_60_plus: { zh: '60周岁以上的低保对象', en: 'a 低保 beneficiary aged 60 or over' },
  aged_70_plus_low_income: { zh: '70周岁以上且收入、财产符合规定', en: 'aged 70 or over with low income and property' },
  severe_disability_low_income: { zh: '重度残疾且收入、财产符合规定', en: 'severely disabled with low income and property' },
  no_civil_capacity: { zh: '无民事行为能力', en: 'without civil capacity' },
  declared_missing: { zh: '被宣告失踪', en: 'declared missing' },
  in_prison: { zh: '在监狱服刑', en: 'serving a prison sentence' },
  deceased: { zh: '已死亡', en: 'deceased' },
  provincial_rule: { zh: '省级规定的其他情形', en: 'another situation set by the province' },
};

export const SUPPORTER_RELATION_LABELS: Record<SupporterRelation, Bilingual> = {
  spouse: { zh: '配偶', en: 'spouse' },
  parent: { zh: '父母', en: 'parent' },
  child: { zh: '子女', en: 'child' },
  grandparent: { zh: '（外）祖父母', en: 'grandparent' },
  grandchild: { zh: '（外）孙子女', en: 'grandchild' },
  sibling: { zh: '兄弟姐妹', en: 'sibling' },
  other: { zh: '其他法定义务人', en: 'other legal supporter' },
};

export const PARENT_SITUATION_LABELS: Record<ParentSituation, Bilingual> = {
  dead: { zh: '死亡', en: 'dead' },
  declared_missing: { zh: '宣告失踪', en: 'declared missing' },
  severe_disability: { zh: '重残', en: 'severely disabled' },
  serious_illness: { zh: '重病', en: 'seriously ill' },
  in_prison: { zh: '服刑在押', en: 'in prison' },
  compulsory_drug_rehab: { zh: '强制隔离戒毒', en: 'in compulsory drug rehabilitation' },
  deprived_of_liberty: { zh: '被执行其他限制人身自由的措施', en: 'otherwise deprived of liberty' },
  out_of_contact: { zh: '失联', en: 'out of contact' },
  guardianship_revoked: { zh: '被撤销监护资格', en: 'stripped of guardianship' },
  none_of_these: { zh: '无上述情形', en: 'in none of these situations' },
};

export const HARDSHIP_CAUSE_LABELS: Record<HardshipCause, Bilingual> = {
  fire: { zh: '火灾', en: 'fire' },
  accident: { zh: '意外事故', en: 'accident' },
  illness: { zh: '疾病', en: 'illness' },
  disaster: { zh: '自然灾害', en: 'natural disaster' },
  other: { zh: '其他突发困难', en: 'other sudden hardship' },
};
