import { referencedId } from '../../db/rows.js';
import { raw, ref } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { requireViewer } from '../../auth/permissions.js';
import { assertOrgAction } from '../orgs/orgs.access.js';
import type { Context } from '../../context.js';
import { conflict, hidingAsNotFound, notFound } from '../../errors.js';
import { publish } from '../../events/events.service.js';
import {
  checkPageSize,
  paginate,
  type Connection,
  type PageArgs,
} from '../../graphql/connection.js';
import { parseInput } from '../../graphql/validation.js';
import { User } from '../accounts/accounts.entity.js';
import { recordAudit } from '../../audit/record.js';
import { Organization } from '../orgs/orgs.entity.js';
import { loadReference, referenced } from '../../db/references.js';
import { andThen } from '../../loaders.js';
import type { Project } from '../projects/projects.entity.js';
import { findProjectInOrganization } from '../projects/projects.service.js';
import { loadAppToManage } from './apps.access.js';
import { App, type AppStatus } from './apps.entity.js';
import { appLoaders } from './apps.loaders.js';
import type { CreateAppInput, UpdateAppInput } from './apps.types.js';
import {
  APP_SETTINGS,
  assertEmailRequestAllowed,
  CreateAppSchema,
  UpdateAppSchema,
  type AppSetting,
} from './apps.validation.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';
import { projectLoaders } from '../projects/projects.loaders.js';
import { orgLoaders } from '../orgs/orgs.loaders.js';
import { mappingConstraintErrors } from '../../db/constraints.js';

const NAME_INDEX = 'app_org_name_live_unique';

/** Settings too long to copy into the audit log; only their names are recorded. */
const LONG_SETTINGS: ReadonlySet<AppSetting> = new Set(['description', 'useCase', 'attributes']);

const nameTaken = () =>
  conflict('name', 'An app with this name already exists in the organization.');

/** A live app the viewer may see (any member of its organization, or staff). */
export async function findApp(ctx: Context, id: string, field = 'id'): Promise<App> {
  const app = await appLoaders(ctx).appById.load(id);
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
  // From the organization's one list, so that a page showing projects and standalone apps
  // resolves every app at once, and the apps' own lists batch into one statement each. The
  // projects are awaited too: the projects' apps go on only once both statements answered, so
  // the standalone ones must not start their own lists earlier, whichever answers first.
  const [apps] = await Promise.all([
    appLoaders(ctx).appsByOrg.load(organizationId),
    projectLoaders(ctx).projectsByOrg.load(organizationId),
  ]);
  return apps.filter((app) => referencedId(app, 'project') === null);
}

/** One page of the organization's live apps (in `project`, in none, or all), oldest first. */
export async function appsPage(
  ctx: Context,
  organizationId: string,
  project: { id: string } | null | 'all',
  args: PageArgs,
  status?: AppStatus | null,
): Promise<Connection<App>> {
  await assertOrgAction(ctx, organizationId, 'app:read');
  if (project !== 'all' && !args.after && !status) {
    // A first page (what lists show): batched with the other lists of the same kind.
    checkPageSize(args);
    return project
      ? appLoaders(ctx).firstProjectAppsPage.load({ group: project.id, first: args.first })
      : appLoaders(ctx).firstStandaloneAppsPage.load({ group: organizationId, first: args.first });
  }
  const where: FilterQuery<App> = { organization: organizationId, deletedAt: null };
  if (project !== 'all') where.project = project ? project.id : null;
  if (status) where.status = status;
  return paginate(ctx.em, App, where, args, 'asc');
}

export async function appsOfProject(ctx: Context, project: Project): Promise<App[]> {
  const organizationId = referencedId(project, 'organization')!;
  await assertOrgAction(ctx, organizationId, 'app:read');
  const apps = await appLoaders(ctx).appsByOrg.load(organizationId);
  return apps.filter((app) => referencedId(app, 'project') === project.id);
}

export function ownerOfApp(ctx: Context, app: App): User | Promise<User> {
  return andThen(referenced(app.owner, accountLoaders(ctx).userById), (owner) => {
    if (!owner) throw notFound('User');
    return owner;
  });
}

export function projectOfApp(ctx: Context, app: App): Project | null | Promise<Project | null> {
  return app.project ? referenced(app.project, projectLoaders(ctx).projectById) : null;
}

export async function organizationOfApp(ctx: Context, app: App): Promise<Organization> {
  const organization = await loadReference(app.organization, orgLoaders(ctx).organizationById);
  if (!organization) throw notFound('Organization');
  return organization;
}

export type NewApp = ReturnType<typeof parseNewApp>;

function parseNewApp(input: CreateAppInput) {
  const data = parseInput(CreateAppSchema, input);
  assertEmailRequestAllowed(data);
  return data;
}

/** Checks that the viewer may create this app in the organization, and its settings. */
export async function checkNewApp(ctx: Context, input: CreateAppInput): Promise<NewApp> {
  requireViewer(ctx);
  await assertOrgAction(ctx, input.organizationId, 'app:create');
  return parseNewApp(input);
}

/**
 * A new app of the viewer (checked by `checkNewApp`), persisted in `em`'s transaction with
 * its settings and the `app.create` audit entry. Its status is the app lifecycle's to set.
 */
export async function buildApp(em: EntityManager, ctx: Context, data: NewApp): Promise<App> {
  const viewer = requireViewer(ctx);
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
  em.persist(app);
  recordAudit(em, ctx, {
    organizationId: data.organizationId,
    action: 'app.create',
    targetType: 'App',
    targetId: app.id,
    data: { name: app.name, projectId: project?.id ?? null },
  });
  return app;
}

/** The owner or an organization admin changes settings, or moves the app between projects. */
export async function updateApp(ctx: Context, input: UpdateAppInput): Promise<App> {
  return mappingNameConflict(() =>
    ctx.em.transactional(async (em) => {
      const app = await loadAppToManage(ctx, em, input.appId, { lock: true });
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
        await publish(em, 'app.updated', {
          subjectId: app.id,
          organizationId: app.organization.id,
          changed: Object.keys(changes).join(','),
        });
      }
      return app;
    }),
  );
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

/** The partial unique index settles races the name check cannot see. */
export const mappingNameConflict = <T>(run: () => Promise<T>): Promise<T> =>
  mappingConstraintErrors({ [NAME_INDEX]: nameTaken }, run);
