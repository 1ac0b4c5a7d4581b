import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { User } from '../accounts/accounts.entity.js';
import { AuditEntry } from '../../audit/audit.entity.js';
import { listAuditLog } from './audit.service.js';
import { AuditEntryConnection, AuditLogArgs } from './audit.types.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Access('SIGNED_IN')
  @Query(() => AuditEntryConnection, {
    description: "An organization's audit log, newest first (its admins and staff).",
  })
  async auditLog(@Args() args: AuditLogArgs, @Ctx() ctx: Context): Promise<AuditEntryConnection> {
    return listAuditLog(ctx, args);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who did it; null for the system.' })
  async actor(@Root() entry: AuditEntry, @Ctx() ctx: Context): Promise<User | null> {
    return entry.actor ? accountLoaders(ctx).userById.load(entry.actor.id) : null;
  }
}
