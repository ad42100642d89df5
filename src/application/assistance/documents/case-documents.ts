import { caseDocument, documentSourceIndex, type DocumentKind } from '../../../domain/assistance/case-documents';
import { caseStreamId, type CaseEvent } from '../../../domain/assistance/case.events';
import { evolveTown, initialTownState, townStreamId, type TownEvent } from '../../../domain/geography/town.events';
import { evolveVillage, initialVillageState, villageStreamId, type VillageEvent } from '../../../domain/geography/village.events';
import { evolveHousehold, householdStreamId, initialHouseholdState, type HouseholdEvent } from '../../../domain/households/household.events';
import { maskName } from '../../../domain/shared/national-id';
import { countyDate } from '../../clock';
import type { CommandContext } from '../../command-handler';
import type { EventStore, ReadStreamOptions } from '../../event-store';
import type { JurisdictionResolver } from '../../jurisdiction';
import { BENEFICIARY_FIELDS } from '../../privacy/classification';
import type { Privacy } from '../../privacy/privacy';
import { asDomainEvents } from '../../stored-events';
import type { CasesService } from '../cases.service';
import { renderCaseDocument } from './render-case-document';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

/** The case exists and may be read, but has no such document (yet): 409 document-not-available. */
export class DocumentNotAvailableError extends Error {
  constructor(
    readonly kind: DocumentKind,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentNotAvailableError';
  }
}

/** A document kind the case's program never has (the 公示 of a case that is not 低保): 404. */
export class DocumentNotApplicableError extends Error {
  constructor(
    readonly kind: DocumentKind,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentNotApplicableError';
  }
}

/** The name on a letter is personal data: shown as the caller may see the case's identity data, else masked. */
const DOCUMENT_FIELDS = {
  ...BENEFICIARY_FIELDS,
  applicantName: { class: 'identity', mask: (v: unknown) => (typeof v === 'string' ? maskName(v) : v) },
} as const;

/**
 * Printable documents of a case, from its recorded events only (the case stream, and the
 * household, village and town streams as of the event the document speaks from). Read as the
 * case is read: the same 404/403, the same masking of personal data, the same access log.
 */
export class CaseDocumentsService {
  constructor(
    private readonly cases: CasesService,
    private readonly store: EventStore,
    private readonly jurisdictions: JurisdictionResolver,
    private readonly privacy: Privacy | undefined,
    private readonly bureauName: string,
  ) {}

  async html(context: Reader, caseId: string, kind: DocumentKind): Promise<string> {
    const c = await this.cases.get(context, caseId);
    const recorded = await this.store.readStream(caseStreamId(caseId));
    const events = asDomainEvents<CaseEvent>(recorded);
    const applied = events.find((e) => e.type === 'CaseApplied');
    const source = documentSourceIndex(kind, events);
    const asOf: ReadStreamOptions = source === -1 ? {} : { asOf: recorded[source]!.recordedAt };
    const applicantId = applied?.type === 'CaseApplied' ? applied.data.applicantPersonId : null;

    const household = asDomainEvents<HouseholdEvent>(await this.store.readStream(householdStreamId(c.householdId), asOf)).reduce(
      evolveHousehold,
      initialHouseholdState(),
    );
    const village = asDomainEvents<VillageEvent>(await this.store.readStream(villageStreamId(c.villageId), asOf)).reduce(evolveVillage, initialVillageState());
    const town = asDomainEvents<TownEvent>(await this.store.readStream(townStreamId(c.townId), asOf)).reduce(evolveTown, initialTownState());
    const members = household.status === 'registered' ? household.members : [];

    const doc = caseDocument(kind, events, {
      applicantName: members.find((m) => m.personId === applicantId)?.name ?? null,
      householdMembers: members.length,
      townName: town.status === 'unregistered' ? '' : town.name,
      villageName: village.status === 'unregistered' ? '' : village.name,
    });
    if ('unavailable' in doc) {
      if (doc.unavailable === 'not_applicable') throw new DocumentNotApplicableError(kind, doc.reason);
      throw new DocumentNotAvailableError(kind, doc.reason);
    }
    // The 公示 is public by law and already masked; letters go through the one masking layer.
    if (doc.kind === 'notice' || !this.privacy) return renderCaseDocument(doc, this.bureauName);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const shown = await this.privacy.show(context, j, 'GET /cases/{id}/documents/{kind}', {
      record: doc,
      subjectKind: 'beneficiary',
      fields: DOCUMENT_FIELDS,
      place: { townId: c.townId, villageId: c.villageId, groupId: c.groupId },
      subjectId: caseId,
      householdId: c.householdId,
    });
    return renderCaseDocument(shown.value, this.bureauName);
  }
}
