import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { PageArgs, type Connection } from '../../graphql/connection.js';
import { MailMessage } from './mail.entity.js';
import { listOutbox } from './mail.service.js';
import { MailMessageConnection } from './mail.types.js';

@Resolver(() => MailMessage)
export class MailResolver {
  @Access('STAFF')
  @Query(() => MailMessageConnection, {
    description:
      'Every mail the portal sent, is sending or kept (when no SMTP server is configured), with its delivery state, newest first. Staff only.',
  })
  async mailOutbox(@Args() args: PageArgs, @Ctx() ctx: Context): Promise<Connection<MailMessage>> {
    return listOutbox(ctx, args);
  }
}
