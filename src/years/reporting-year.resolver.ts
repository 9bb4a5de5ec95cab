import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/roles';
import type { RequestContext } from '../server/context';
import { ReportingYear } from './reporting-year.entity';

@Resolver(() => ReportingYear)
export class ReportingYearResolver {
  @Authorized(Role.PUBLIC)
  @Query(() => [ReportingYear], { description: '有报告的年度 / Years with reports' })
  years(@Ctx() ctx: RequestContext): Promise<ReportingYear[]> {
    return ctx.services.years.list();
  }
}
