import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ChannelKind } from '../metrics/enums';
import { Office } from '../offices/office.entity';
import type { RequestContext } from '../server/context';
import { ChannelActivity, DisclosureChannel } from './disclosure-channel.entity';

@Resolver(() => DisclosureChannel)
export class DisclosureChannelResolver {
  @FieldResolver(() => String, { nullable: true, description: '账号名称（如「和谐鲸园」）/ Account name' })
  name(@Root() channel: DisclosureChannel): string | null {
    return channel.name === '' ? null : channel.name;
  }

  @FieldResolver(() => Office)
  async office(@Root() channel: DisclosureChannel, @Ctx() ctx: RequestContext): Promise<Office> {
    return (await ctx.loaders.officeById.load(channel.officeId))!;
  }
}

@Resolver(() => ChannelActivity)
export class ChannelActivityResolver {
  @FieldResolver(() => DisclosureChannel)
  async channel(@Root() activity: ChannelActivity, @Ctx() ctx: RequestContext): Promise<DisclosureChannel> {
    return (await ctx.loaders.channelById.load(activity.channelId))!;
  }

  @FieldResolver(() => ChannelKind, { description: '渠道类型（同 channel.kind）/ Same as channel.kind' })
  async kind(@Root() activity: ChannelActivity, @Ctx() ctx: RequestContext): Promise<string> {
    return (await ctx.loaders.channelById.load(activity.channelId))!.kind;
  }

  @FieldResolver(() => String, { nullable: true, description: '账号名称（同 channel.name）/ Same as channel.name' })
  async name(@Root() activity: ChannelActivity, @Ctx() ctx: RequestContext): Promise<string | null> {
    const channel = await ctx.loaders.channelById.load(activity.channelId);
    return channel?.name ? channel.name : null;
  }
}
