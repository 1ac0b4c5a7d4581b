import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { assertOrgAction, type OrgAction } from '../orgs/orgs.access.js';
import type { Context } from '../../context.js';
import { conflict, hidingAsNotFound, notFound } from '../../errors.js';
import { paginate, type Connection, type PageArgs } from '../../graphql/connection.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { transactionHook } from '../../db/transaction-hooks.js';
import { recordAudit } from '../../audit/record.js';
import { Organization } from '../orgs/orgs.entity.js';
import { loadReference } from '../../db/references.js';
import { Project } from './projects.entity.js';
import type {
  CreateProjectInput,
  DeleteProjectInput,
  UpdateProjectInput,
} from './projects.types.js';
import { projectLoaders } from './projects.loaders.js';
import { orgLoaders } from '../orgs/orgs.loaders.js';
import { mappingConstraintErrors } from '../../db/constraints.js';

/** The foreign key from an app to its project. */
const PROJECT_OF_APP_KEY = 'app_project_id_foreign';

const PROJECT_NAME_MAX = 50;

const projectName = fields
  .line('Project name')
  .min(1, 'Project name is required.')
  .max(PROJECT_NAME_MAX, `Project name must be at most ${PROJECT_NAME_MAX} characters.`);

/** Free text that may be empty; null means empty. */
const text = (label: string) =>
  fields
    .optionalText(label)
    .nullish()
    .transform((value) => value ?? '');

const CreateProjectSchema = z.object({
  organizationId: z.string(),
  name: projectName,
  description: text('Description'),
  useCase: text('Use case'),
});

const UpdateProjectSchema = z.object({
  projectId: z.string(),
  name: projectName.optional(),
  description: text('Description'),
  useCase: text('Use case'),
});

const EDITABLE = ['name', 'description', 'useCase'] as const;

/** A project the viewer may see (any member of its organization, or staff). */
export async function findProject(ctx: Context, id: string, field = 'id'): Promise<Project> {
  const project = await projectLoaders(ctx).projectById.load(id);
  if (!project) throw notFound('Project', field);
  await assertProjectAction(ctx, project, 'org:read', field);
  return project;
}

/**
 * The project `projectId` of organization `organizationId`, read inside a transaction,
 * for putting an app in it. A project of another organization is not found.
 */
export async function findProjectInOrganization(
  em: EntityManager,
  organizationId: string,
  projectId: string,
): Promise<Project> {
  const project = await em.findOne(Project, { id: projectId, organization: organizationId });
  if (!project) throw notFound('Project', 'projectId');
  return project;
}

export async function projectsOfOrganization(
  ctx: Context,
  organizationId: string,
): Promise<Project[]> {
  await assertOrgAction(ctx, organizationId, 'org:read');
  return projectLoaders(ctx).projectsByOrg.load(organizationId);
}

/** One page of the organization's projects, oldest first, with their total. */
export async function projectsPage(
  ctx: Context,
  organizationId: string,
  args: PageArgs,
): Promise<Connection<Project>> {
  await assertOrgAction(ctx, organizationId, 'org:read');
  return paginate(ctx.em, Project, { organization: organizationId }, args, 'asc');
}

export async function organizationOfProject(ctx: Context, project: Project): Promise<Organization> {
  const organization = await loadReference(project.organization, orgLoaders(ctx).organizationById);
  if (!organization) throw notFound('Organization');
  return organization;
}

export async function createProject(ctx: Context, input: CreateProjectInput): Promise<Project> {
  await assertOrgAction(ctx, input.organizationId, 'project:create');
  const data = parseInput(CreateProjectSchema, input);
  return ctx.em.transactional(async (em) => {
    const project = new Project(
      em.getReference(Organization, data.organizationId, { wrapped: true }),
      data.name,
    );
    project.description = data.description;
    project.useCase = data.useCase;
    em.persist(project);
    recordAudit(em, ctx, {
      organizationId: data.organizationId,
      action: 'project.create',
      targetType: 'Project',
      targetId: project.id,
      data: { name: project.name },
    });
    return project;
  });
}

export async function updateProject(ctx: Context, input: UpdateProjectInput): Promise<Project> {
  return ctx.em.transactional(async (em) => {
    const project = await em.findOne(Project, { id: input.projectId });
    if (!project) throw notFound('Project', 'projectId');
    await assertProjectAction(ctx, project, 'project:update');
    const data = parseInput(UpdateProjectSchema, input);
    const changes: Record<string, { from: string; to: string }> = {};
    for (const key of EDITABLE) {
      const value = data[key];
      if (input[key] === undefined || value === undefined || project[key] === value) continue;
      changes[key] = { from: project[key], to: value };
      project[key] = value;
    }
    if (Object.keys(changes).length) {
      recordAudit(em, ctx, {
        organizationId: project.organization.id,
        action: 'project.update',
        targetType: 'Project',
        targetId: project.id,
        data: { changes },
      });
    }
    return project;
  });
}

/** A project about to be deleted, in the deleting transaction. */
export interface ProjectDeletion {
  projectId: string;
}

/**
 * Modules above projects act on a project's deletion in its transaction: the apps module
 * refuses it while the project holds live apps (CONFLICT on `projectId`) and makes deleted
 * apps (tombstones) standalone, reporting how many.
 */
export const projectDeletion = transactionHook<ProjectDeletion, { detachedApps: number }>();

export const projectStillHoldsApps = () =>
  conflict('projectId', 'This project still holds apps: move or delete them first.');

/** Deletes a project that holds no live apps; deleted apps (tombstones) become standalone. */
export async function deleteProject(ctx: Context, input: DeleteProjectInput): Promise<string> {
  // An app put in the project while it is being deleted trips the foreign key.
  return await mappingConstraintErrors({ [PROJECT_OF_APP_KEY]: projectStillHoldsApps }, () =>
    ctx.em.transactional(async (em) => {
      const project = await em.findOne(
        Project,
        { id: input.projectId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!project) throw notFound('Project', 'projectId');
      await assertProjectAction(ctx, project, 'project:delete');
      // The apps module refuses while live apps are in it, and detaches deleted ones.
      const reports = await projectDeletion.run(em, ctx, { projectId: project.id });
      const detachedDeletedApps = reports.reduce((sum, report) => sum + report.detachedApps, 0);
      em.remove(project);
      recordAudit(em, ctx, {
        organizationId: project.organization.id,
        action: 'project.delete',
        targetType: 'Project',
        targetId: project.id,
        data: { name: project.name, detachedDeletedApps },
      });
      return project.id;
    }),
  );
}

/** Checks an action on the project's organization; a non-member is told the project is not found. */
async function assertProjectAction(
  ctx: Context,
  project: Project,
  action: OrgAction,
  field = 'projectId',
): Promise<void> {
  await hidingAsNotFound('Project', field, () =>
    assertOrgAction(ctx, project.organization.id, action),
  );
}
