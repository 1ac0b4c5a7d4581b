import { LockMode, raw, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireViewer } from '../../auth/permissions.js';
import { assertOrgAction } from '../orgs/orgs.access.js';
import type { Context } from '../../context.js';
import { conflict, hidingAsNotFound, notFound } from '../../errors.js';
import type { EnvironmentChange } from '../../events/domain-events.js';
import { publish } from '../../events/events.service.js';
import { parseInput } from '../../graphql/validation.js';
import { App } from '../apps/apps.entity.js';
import { recordAudit } from '../../audit/record.js';
import { lockOrganization } from '../orgs/orgs.access.js';
import type { Organization } from '../orgs/orgs.entity.js';
import { loadReference } from '../../db/references.js';
import { planFor } from './plans.service.js';
import { productLoaders } from './products.loaders.js';
import { DevEnvironment } from './products.entity.js';
import { findLiveProduct } from './products.service.js';
import type {
  CreateDevEnvironmentInput,
  DeleteDevEnvironmentInput,
  UpdateDevEnvironmentInput,
} from './products.types.js';
import { CreateDevEnvironmentSchema, UpdateDevEnvironmentSchema } from './products.validation.js';
import { appLoaders } from '../apps/apps.loaders.js';
import { orgLoaders } from '../orgs/orgs.loaders.js';
import { mappingConstraintErrors } from '../../db/constraints.js';

const LABEL_CONSTRAINT = 'dev_environment_organization_id_product_id_label_unique';

const labelTaken = () =>
  conflict('label', 'Another dev environment of this product already has this label.');

/** The organization's dev environments of live products, oldest first (members and staff). */
export async function devEnvironmentsOf(
  ctx: Context,
  organization: Organization,
  productId: string | null,
): Promise<DevEnvironment[]> {
  await assertOrgAction(ctx, organization.id, 'org:read');
  const all = await productLoaders(ctx).devEnvironmentsByOrg.load(organization.id);
  return productId ? all.filter((env) => env.product.id === productId) : all;
}

/** A dev environment the viewer may see (members of its organization, staff). */
export async function findDevEnvironment(
  ctx: Context,
  id: string,
  field = 'id',
): Promise<DevEnvironment> {
  const environment = await ctx.em.findOne(DevEnvironment, { id });
  if (!environment) throw notFound('Dev environment', field);
  await hidingAsNotFound('Dev environment', field, () =>
    assertOrgAction(ctx, environment.organization.id, 'org:read'),
  );
  return environment;
}

/** The attached app, or null (none, or deleted since). */
export async function appOfDevEnvironment(
  ctx: Context,
  environment: DevEnvironment,
): Promise<App | null> {
  return environment.app ? appLoaders(ctx).appById.load(environment.app.id) : null;
}

export async function organizationOfDevEnvironment(
  ctx: Context,
  environment: DevEnvironment,
): Promise<Organization> {
  const organization = await loadReference(
    environment.organization,
    orgLoaders(ctx).organizationById,
  );
  if (!organization) throw notFound('Organization');
  return organization;
}

/**
 * An organization admin adds a dev environment for a product, optionally with one of the
 * organization's apps; the organization's plan for the product caps how many there are.
 */
export async function createDevEnvironment(
  ctx: Context,
  input: CreateDevEnvironmentInput,
): Promise<DevEnvironment> {
  await assertOrgAction(ctx, input.organizationId, 'org:update');
  const data = parseInput(CreateDevEnvironmentSchema, input);
  return mappingLabelConflict(() =>
    ctx.em.transactional(async (em) => {
      const organization = await lockOrganization(em, data.organizationId);
      const product = await findLiveProduct(em, data.productId);
      const app = data.appId ? await findAttachableApp(em, organization.id, data.appId) : null;
      if (app) await assertAppFree(em, product.id, app.id, null);
      await assertLabelFree(em, organization.id, product.id, data.label, null);

      const plan = await planFor(em, organization.id, product.id);
      const existing = await em.count(DevEnvironment, {
        organization: organization.id,
        product: product.id,
      });
      if (existing >= plan.maxDevEnvironments) {
        throw conflict(
          'productId',
          `The ${plan.name} plan allows ${plan.maxDevEnvironments} dev environment${plan.maxDevEnvironments === 1 ? '' : 's'} for ${product.name}; change the plan or delete one first.`,
        );
      }

      const environment = new DevEnvironment(ref(organization), ref(product), data.label);
      environment.app = app ? ref(app) : null;
      em.persist(environment);
      recordAudit(em, ctx, {
        organizationId: organization.id,
        action: 'environment.create',
        targetType: 'DevEnvironment',
        targetId: environment.id,
        data: {
          label: environment.label,
          productId: product.id,
          productName: product.name,
          appId: app?.id ?? null,
        },
      });
      await announceEnvironmentChange(em, environment, 'environment.create');
      return environment;
    }),
  );
}

/** An organization admin renames a dev environment or attaches another app (null: none). */
export async function updateDevEnvironment(
  ctx: Context,
  input: UpdateDevEnvironmentInput,
): Promise<DevEnvironment> {
  return mappingLabelConflict(() =>
    ctx.em.transactional(async (em) => {
      const environment = await findDevEnvironmentToManage(ctx, em, input.devEnvironmentId);
      const data = parseInput(UpdateDevEnvironmentSchema, input);
      const organizationId = environment.organization.id;
      const productId = environment.product.id;
      const changes: Record<string, { from: unknown; to: unknown }> = {};

      if (data.label && data.label !== environment.label) {
        if (data.label.toLowerCase() !== environment.label.toLowerCase()) {
          await assertLabelFree(em, organizationId, productId, data.label, environment.id);
        }
        changes.label = { from: environment.label, to: data.label };
        environment.label = data.label;
      }
      if (input.appId !== undefined) {
        const from = environment.app?.id ?? null;
        const to = data.appId ?? null;
        if (to !== from) {
          const app = to ? await findAttachableApp(em, organizationId, to) : null;
          if (app) await assertAppFree(em, productId, app.id, environment.id);
          environment.app = app ? ref(app) : null;
          changes.appId = { from, to };
        }
      }
      if (Object.keys(changes).length) {
        recordAudit(em, ctx, {
          organizationId,
          action: 'environment.update',
          targetType: 'DevEnvironment',
          targetId: environment.id,
          data: { label: environment.label, productId, changes },
        });
        await announceEnvironmentChange(em, environment, 'environment.update');
      }
      return environment;
    }),
  );
}

/** An organization admin deletes a dev environment. */
export async function deleteDevEnvironment(
  ctx: Context,
  input: DeleteDevEnvironmentInput,
): Promise<string> {
  return ctx.em.transactional(async (em) => {
    const environment = await findDevEnvironmentToManage(ctx, em, input.devEnvironmentId);
    recordAudit(em, ctx, {
      organizationId: environment.organization.id,
      action: 'environment.delete',
      targetType: 'DevEnvironment',
      targetId: environment.id,
      data: {
        label: environment.label,
        productId: environment.product.id,
        appId: environment.app?.id ?? null,
      },
    });
    await announceEnvironmentChange(em, environment, 'environment.delete');
    em.remove(environment);
    return environment.id;
  });
}

/**
 * Gateways drop what they cached for the organization: the environment an app is attached to
 * is the `X-Portico-Environment` of its verifications.
 */
async function announceEnvironmentChange(
  em: EntityManager,
  environment: DevEnvironment,
  change: EnvironmentChange,
): Promise<void> {
  await publish(em, 'environment.changed', {
    subjectId: environment.id,
    organizationId: environment.organization.id,
    change,
    productId: environment.product.id,
    appId: environment.app?.id ?? null,
  });
}

/**
 * The environment, with its organization locked for this transaction, if the viewer is an
 * admin there: a developer is FORBIDDEN, anyone else is told it does not exist.
 */
async function findDevEnvironmentToManage(
  ctx: Context,
  em: EntityManager,
  id: string,
): Promise<DevEnvironment> {
  requireViewer(ctx);
  const found = await em.findOne(DevEnvironment, { id });
  if (!found) throw notFound('Dev environment', 'devEnvironmentId');
  await hidingAsNotFound('Dev environment', 'devEnvironmentId', () =>
    assertOrgAction(ctx, found.organization.id, 'org:update'),
  );
  await lockOrganization(em, found.organization.id);
  const environment = await em.findOne(
    DevEnvironment,
    { id },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!environment) throw notFound('Dev environment', 'devEnvironmentId');
  return environment;
}

/** A live app of the organization (NOT_FOUND on appId otherwise). */
async function findAttachableApp(
  em: EntityManager,
  organizationId: string,
  appId: string,
): Promise<App> {
  const app = await em.findOne(App, { id: appId, organization: organizationId, deletedAt: null });
  if (!app) throw notFound('App', 'appId');
  return app;
}

/** An app serves at most one dev environment of a product, so its usage has one home. */
async function assertAppFree(
  em: EntityManager,
  productId: string,
  appId: string,
  exceptEnvironmentId: string | null,
): Promise<void> {
  const other = await em.findOne(DevEnvironment, {
    product: productId,
    app: appId,
    ...(exceptEnvironmentId ? { id: { $ne: exceptEnvironmentId } } : {}),
  });
  if (other) {
    throw conflict(
      'appId',
      `This app is already attached to the dev environment ${other.label} of this product.`,
    );
  }
}

/** Labels are unique per organization and product, ignoring case. */
async function assertLabelFree(
  em: EntityManager,
  organizationId: string,
  productId: string,
  label: string,
  exceptEnvironmentId: string | null,
): Promise<void> {
  const clashes = await em.count(DevEnvironment, {
    organization: organizationId,
    product: productId,
    ...(exceptEnvironmentId ? { id: { $ne: exceptEnvironmentId } } : {}),
    [raw((alias) => `lower(${alias}.label)`)]: raw('lower(?)', [label]),
  });
  if (clashes) throw labelTaken();
}

const mappingLabelConflict = <T>(run: () => Promise<T>): Promise<T> =>
  mappingConstraintErrors({ [LABEL_CONSTRAINT]: labelTaken }, run);
