import { registerNodeFinder } from '../../graphql/node.service.js';
import { PlatformRole } from '../../auth/roles.js';
import { BulkRun } from './staff.entity.js';
import {
  BulkRunFieldsResolver,
  BulkRunItemFieldsResolver,
  StaffAppFieldsResolver,
  StaffOrganizationFieldsResolver,
  StaffResolver,
} from './staff.resolver.js';

registerNodeFinder('blk', async (ctx, id) =>
  ctx.viewer?.user.platformRole === PlatformRole.STAFF ? ctx.em.findOne(BulkRun, { id }) : null,
);

export { runBulkRun, runsToResume, LEASE_MS, type RunOutcome } from './staff.bulk.runner.js';
export { isExportName, streamExport, type ExportFormat } from './staff.exports.js';

/** The staff console: inventory, bulk runs, audit log search, exports and reports. */
export const staffResolvers: Function[] = [
  StaffResolver,
  BulkRunFieldsResolver,
  BulkRunItemFieldsResolver,
  StaffAppFieldsResolver,
  StaffOrganizationFieldsResolver,
];
