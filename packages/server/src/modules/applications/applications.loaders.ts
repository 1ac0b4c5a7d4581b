import DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { groupBy, perRequest } from '../../loaders.js';
import { ApplicationMessage, DeveloperApplication } from './applications.entity.js';

/** The applications module's per-request loaders: each batch is one SQL statement. */
function createApplicationLoaders(ctx: Context) {
  const em = ctx.em;
  return {
    /** Each user's most recent application (null when they never applied). */
    latestApplicationByUser: new DataLoader<string, DeveloperApplication | null>(
      async (userIds) => {
        const rows = await em.find(
          DeveloperApplication,
          { user: { $in: [...userIds] } },
          { orderBy: { createdAt: 'desc', id: 'desc' } },
        );
        const latest = new Map<string, DeveloperApplication>();
        for (const row of rows) if (!latest.has(row.user.id)) latest.set(row.user.id, row);
        return userIds.map((id) => latest.get(id) ?? null);
      },
    ),
    /** The thread of each application, oldest message first. */
    messagesByApplication: new DataLoader<string, ApplicationMessage[]>(async (ids) =>
      groupBy(
        await em.find(
          ApplicationMessage,
          { application: { $in: [...ids] } },
          { orderBy: { createdAt: 'asc', id: 'asc' } },
        ),
        ids,
        (row) => row.application.id,
      ),
    ),
  };
}

export type ApplicationLoaders = ReturnType<typeof createApplicationLoaders>;

/** The module's per-request loaders, made on first use in the request. */
export const applicationLoaders = perRequest(createApplicationLoaders);
