import { Arg, Authorized, Ctx, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../server/context';
import { ApiToken } from './api-token.entity';
import { Role, type RoleName } from './roles';

@InputType({ description: '新令牌 / A new API token' })
export class ApiTokenInput {
  @Field({ description: '用途说明 / What it is for' })
  name!: string;

  @Field(() => Role, { description: 'ANALYST、EDITOR 或 ADMIN / ANALYST, EDITOR or ADMIN' })
  role!: RoleName;

  @Field(() => String, { nullable: true, description: '编辑令牌必填：可写的机关子树 / Required for editors: the office subtree it may write' })
  scopeOfficeCode?: string | null;
}

@ObjectType({ description: '新建的令牌；密钥仅此一次显示 / A created token; the secret is shown this once only' })
export class CreatedApiToken {
  @Field(() => ApiToken)
  token!: ApiToken;

  @Field({ description: '令牌密钥，用作 Authorization: Bearer … / The secret, for Authorization: Bearer …' })
  secret!: string;
}

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @Authorized(Role.ADMIN)
  @Query(() => [ApiToken], { description: 'API 令牌（不含密钥，按编号，每次最多100个）/ API tokens, without secrets, by id, at most 100 at a time' })
  apiTokens(
    @Ctx() ctx: RequestContext,
    @Arg('includeRevoked', { defaultValue: false }) includeRevoked: boolean,
    @Arg('first', () => Int, { defaultValue: 100, description: '最多100 / At most 100' }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<ApiToken[]> {
    return ctx.services.tokens.list(includeRevoked, { first, offset });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CreatedApiToken, { description: '新建令牌 / Create an API token' })
  createApiToken(@Ctx() ctx: RequestContext, @Arg('input', () => ApiTokenInput) input: ApiTokenInput): Promise<CreatedApiToken> {
    return ctx.services.tokens.create(input, ctx.viewer);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ApiToken, { description: '吊销令牌 / Revoke an API token' })
  revokeApiToken(@Ctx() ctx: RequestContext, @Arg('id', () => Int) id: number): Promise<ApiToken> {
    return ctx.services.tokens.revoke(id, ctx.viewer);
  }
}
