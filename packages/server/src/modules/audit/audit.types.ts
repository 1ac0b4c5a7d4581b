import { ArgsType, Field, ID } from 'type-graphql';
import { ConnectionType, PageArgs } from '../../graphql/connection.js';
import { AuditEntry } from '../../audit/audit.entity.js';

export const AuditEntryConnection = ConnectionType(AuditEntry, 'AuditEntry');
export type AuditEntryConnection = InstanceType<typeof AuditEntryConnection>;

@ArgsType()
export class AuditLogArgs extends PageArgs {
  @Field(() => ID, { description: 'The organization whose log to read.' })
  organizationId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Only entries with this action, e.g. `member.remove`.',
  })
  action?: string | null;
}
