import DataLoader from 'dataloader';
import { batchOptions, groupByKey } from '../common/batching';
import { In, type DataSource } from 'typeorm';
import { ChannelActivity, DisclosureChannel } from './disclosure-channel.entity';

export function createChannelLoaders(dataSource: DataSource) {
  return {
    channelById: new DataLoader<number, DisclosureChannel | null>(async (ids) => {
      const rows = await dataSource.getRepository(DisclosureChannel).findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id) ?? null);
    }, batchOptions()),
    channelsByOfficeId: new DataLoader<number, DisclosureChannel[]>(async (officeIds) => {
      const rows = await dataSource.getRepository(DisclosureChannel).find({ where: { officeId: In([...officeIds]) }, order: { kind: 'ASC', name: 'ASC' } });
      return groupByKey(officeIds, rows, (r) => r.officeId);
    }, batchOptions()),
    activitiesByReportId: new DataLoader<number, ChannelActivity[]>(async (reportIds) => {
      const rows = await dataSource.getRepository(ChannelActivity).find({ where: { reportId: In([...reportIds]) }, order: { id: 'ASC' } });
      return groupByKey(reportIds, rows, (r) => r.reportId);
    }, batchOptions()),
  };
}
