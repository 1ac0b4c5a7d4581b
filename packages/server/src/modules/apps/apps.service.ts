import { LockMode, raw, ref, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  assertCanManageApp,
  assertOrgAction,
  requireViewer,
  roleAllows,
} from '../../auth/permissions.js';
import type { Context } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { orgTopic, publishEvent } from '../../events/events.service.js';
import { parseInput } from '../../graphql/validation.js';
import { User } from '../accounts/accounts.entity.js';
import { assertMayCreateApps } from '../applications/applications.gate.js';
import { recordAudit } from '../audit/audit.service.js';
import { revokeCredentialsOfDeletedApp } from '../credentials/credentials.service.js';
import {
  closeGrantsOfDeletedApp,
  parseProductIds,
  requestGrantsForApp,
} from '../grants/grants.service.js';
import { Organization } from '../orgs/orgs.entity.js';
import { loadReference } from '../projects/load-reference.js';
import { hidingAsNotFound } from '../projects/not-found.js';
import type { Project } from '../projects/projects.entity.js';
import { findProjectInOrganization } from '../projects/projects.service.js';
import { App, AppStatus } from './apps.entity.js';
import { appLoaders } from './apps.loaders.js';
import type { CreateAppInput, DeleteAppInput, UpdateAppInput } from './apps.types.js';
import {
  APP_SETTINGS,
  assertEmailRequestAllowed,
  CreateAppSchema,
  DeleteAppSchema,
  UpdateAppSchema,
  type AppSetting,
} from './apps.validation.js';

const NAME_INDEX = 'app_org_name_live_unique';

/** Settings too long to copy into the audit log; only their names are recorded. */
const LONG_SETTINGS: ReadonlySet<AppSetting> = new Set(['description', 'useCase', 'attributes']);

const nameTaken = () =>
  conflict('name', 'An app with this name already exists in the organization.');

/** A live app the viewer may see (any member of its organization, or staff). */
export async function findApp(ctx: Context, id: string, field = 'id'): Promise<App> {
  const app = await ctx.loaders.appById.load(id);
  if (!app) throw notFound('App', field);
  await hidingAsNotFound('App', field, () => assertOrgAction(ctx, app.organization.id, 'app:read'));
  return app;
}

export async function appsOfOrganization(ctx: Context, organizationId: string): Promise<App[]> {
  await assertOrgAction(ctx, organizationId, 'app:read');
  return appLoaders(ctx).appsByOrg.load(organizationId);
}

export async function standaloneAppsOfOrganization(
  ctx: Context,
  organizationId: string,
): Promise<App[]> {
  await assertOrgAction(ctx, organizationId, 'app:read');
  return appLoaders(ctx).standaloneAppsByOrg.load(organizationId);
}

export async function appsOfProject(ctx: Context, project: Project): Promise<App[]> {
  await assertOrgAction(ctx, project.organization.id, 'app:read');
  return appLoaders(ctx).appsByProject.load(project.id);
}

export async function ownerOfApp(ctx: Context, app: App): Promise<User> {
  const owner = await loadReference(app.owner, ctx.loaders.userById);
  if (!owner) throw notFound('User');
  return owner;
}

export async function projectOfApp(ctx: Context, app: App): Promise<Project | null> {
  return app.project ? loadReference(app.project, ctx.loaders.projectById) : null;
}

export async function organizationOfApp(ctx: Context, app: App): Promise<Organization> {
  const organization = await loadReference(app.organization, ctx.loaders.organizationById);
  if (!organization) throw notFound('Organization');
  return organization;
}

/** Whether the viewer may change the app: its owner, or an admin of its organization. */
export async function viewerCanManageApp(ctx: Context, app: App): Promise<boolean> {
  if (!ctx.viewer) return false;
  const membership = await ctx.loaders.viewerMembershipByOrg.load(app.organization.id);
  if (!membership) return false;
  return app.owner.id === ctx.viewer.user.id || roleAllows(membership.role, 'app:manage-any');
}

/** Any member creates an app in their organization, and owns it. */
export async function createApp(ctx: Context, input: CreateAppInput): Promise<App> {
  // Until their developer account application is approved, a user cannot create apps.
  await assertMayCreateApps(ctx);
  const viewer = requireViewer(ctx);
  await assertOrgAction(ctx, input.organizationId, 'app:create');
  const data = parseInput(CreateAppSchema, input);
  assertEmailRequestAllowed(data);
  const productIds = input.productIds?.length ? parseProductIds(input.productIds) : [];
  return mappingNameConflict(() =>
    ctx.em.transactional(async (em) => {
      const project = data.projectId
        ? await findProjectInOrganization(em, data.organizationId, data.projectId)
        : null;
      await assertNameFree(em, data.organizationId, data.name, null);
      const app = new App(
        em.getReference(Organization, data.organizationId, { wrapped: true }),
        project ? ref(project) : null,
        em.getReference(User, viewer.user.id, { wrapped: true }),
        data.name,
      );
      for (const key of APP_SETTINGS) setSetting(app, key, data[key]);
      app.status = AppStatus.ACTIVE;
      em.persist(app);
      recordAudit(em, ctx, {
        organizationId: data.organizationId,
        action: 'app.create',
        targetType: 'App',
        targetId: app.id,
        data: { name: app.name, projectId: project?.id ?? null },
      });
      if (productIds.length) {
        await requestGrantsForApp(em, ctx, app, productIds, { newApp: true });
      }
      return app;
    }),
  );
}

/** The owner or an organization admin changes settings, or moves the app between projects. */
export async function updateApp(ctx: Context, input: UpdateAppInput): Promise<App> {
  return mappingNameConflict(() =>
    ctx.em.transactional(async (em) => {
      const app = await findLiveAppToManage(ctx, em, input.appId);
      const data = parseInput(UpdateAppSchema, input);
      const changes: Record<string, unknown> = {};

      if (input.projectId !== undefined) {
        const from = app.project?.id ?? null;
        if (data.projectId !== from) {
          const project = data.projectId
            ? await findProjectInOrganization(em, app.organization.id, data.projectId)
            : null;
          app.project = project ? ref(project) : null;
          changes.projectId = { from, to: data.projectId };
        }
      }
      if (data.name !== undefined && data.name.toLowerCase() !== app.name.toLowerCase()) {
        await assertNameFree(em, app.organization.id, data.name, app.id);
      }
      for (const key of APP_SETTINGS) {
        const value = data[key];
        if (input[key] === undefined || value === undefined) continue;
        if (JSON.stringify(app[key]) === JSON.stringify(value)) continue;
        changes[key] = LONG_SETTINGS.has(key) ? true : { from: app[key], to: value };
        setSetting(app, key, value);
      }
      assertEmailRequestAllowed(app);

      if (Object.keys(changes).length) {
        recordAudit(em, ctx, {
          organizationId: app.organization.id,
          action: 'app.update',
          targetType: 'App',
          targetId: app.id,
          data: { name: app.name, changes },
        });
        // Gateways drop what they cached for the organization (e.g. the permission level).
        await publishEvent(em, {
          topic: orgTopic(app.organization.id),
          kind: 'app.updated',
          subjectId: app.id,
          data: { changed: Object.keys(changes).join(',') },
        });
      }
      return app;
    }),
  );
}

/**
 * Deletes an app as a tombstone: it disappears from every list and query, its name can be
 * used again, and what it did (analytics, audit) stays attached to its id.
 */
export async function deleteApp(ctx: Context, input: DeleteAppInput): Promise<string> {
  const viewer = requireViewer(ctx);
  return ctx.em.transactional(async (em) => {
    const app = await findLiveAppToManage(ctx, em, input.appId);
    const data = parseInput(DeleteAppSchema, input);
    app.deletedAt = new Date();
    app.deletedBy = em.getReference(User, viewer.user.id, { wrapped: true });
    app.deleteReason = data.reason;
    await closeGrantsOfDeletedApp(em, ctx, app);
    await revokeCredentialsOfDeletedApp(em, ctx, app);
    recordAudit(em, ctx, {
      organizationId: app.organization.id,
      action: 'app.delete',
      targetType: 'App',
      targetId: app.id,
      data: {
        name: app.name,
        reason: data.reason,
        ownerId: app.owner.id,
        projectId: app.project?.id ?? null,
      },
    });
    return app.id;
  });
}

/** The live app, locked for this transaction, if the viewer may manage it. */
async function findLiveAppToManage(ctx: Context, em: EntityManager, appId: string): Promise<App> {
  const app = await em.findOne(
    App,
    { id: appId, deletedAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!app) throw notFound('App', 'appId');
  await hidingAsNotFound('App', 'appId', () => assertCanManageApp(ctx, app));
  return app;
}

function setSetting<K extends AppSetting>(app: App, key: K, value: App[K]): void {
  app[key] = value;
}

/** Names are unique per organization among live apps, ignoring case. */
async function assertNameFree(
  em: EntityManager,
  organizationId: string,
  name: string,
  exceptAppId: string | null,
): Promise<void> {
  const clashes = await em.count(App, {
    organization: organizationId,
    deletedAt: null,
    ...(exceptAppId ? { id: { $ne: exceptAppId } } : {}),
    [raw((alias) => `lower(${alias}.name)`)]: raw('lower(?)', [name]),
  });
  if (clashes) throw nameTaken();
}

/** The partial unique index settles races the check above cannot see. */
async function mappingNameConflict<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (
      error instanceof UniqueConstraintViolationException &&
      ((error as { constraint?: string }).constraint === NAME_INDEX ||
        error.message.includes(NAME_INDEX))
    ) {
      throw nameTaken();
    }
    throw error;
  }
}
