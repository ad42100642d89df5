import { donationDecider } from '../../domain/community/donation.decide';
import { donationEvents, donationStreamId } from '../../domain/community/donation.events';
import { mobilisableCountDecider, mobilisableCountEvents, mobilisableCountStreamId } from '../../domain/community/mobilisable-count';
import { projectDecider } from '../../domain/community/project.decide';
import { projectEvents, projectStreamId } from '../../domain/community/project.events';
import { serviceRecordDecider } from '../../domain/community/service-record.decide';
import { serviceRecordEvents, serviceRecordStreamId } from '../../domain/community/service-record.events';
import { teamDecider } from '../../domain/community/team.decide';
import { teamEvents, teamStreamId } from '../../domain/community/team.events';
import { volunteerDecider } from '../../domain/community/volunteer.decide';
import { volunteerEvents, volunteerStreamId } from '../../domain/community/volunteer.events';
import { defineAggregate } from '../aggregate';

export const volunteers = defineAggregate({ name: 'volunteer', streamId: volunteerStreamId, decider: volunteerDecider, catalog: volunteerEvents });
export const teams = defineAggregate({ name: 'volunteer team', streamId: teamStreamId, decider: teamDecider, catalog: teamEvents });
export const serviceRecords = defineAggregate({
  name: 'service record',
  streamId: serviceRecordStreamId,
  decider: serviceRecordDecider,
  catalog: serviceRecordEvents,
});
export const projects = defineAggregate({ name: 'community project', streamId: projectStreamId, decider: projectDecider, catalog: projectEvents });
export const donations = defineAggregate({ name: 'donation', streamId: donationStreamId, decider: donationDecider, catalog: donationEvents });
export const mobilisableCounts = defineAggregate({
  name: 'mobilisable count',
  streamId: mobilisableCountStreamId,
  decider: mobilisableCountDecider,
  catalog: mobilisableCountEvents,
});
