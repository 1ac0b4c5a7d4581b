import { registerNodeFinder } from '../../graphql/node.service.js';
import { AuditEntry } from '../../audit/audit.entity.js';
import { AuditResolver } from './audit.resolver.js';
import { canReadAuditEntry } from './audit.service.js';

registerNodeFinder('aud', async (ctx, id) => {
  const entry = await ctx.em.findOne(AuditEntry, { id });
  return entry && (await canReadAuditEntry(ctx, entry)) ? entry : null;
});

export const auditResolvers: Function[] = [AuditResolver];
