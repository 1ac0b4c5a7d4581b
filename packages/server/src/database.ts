import type { MikroORM } from '@mikro-orm/postgresql';
import {
  EmailToken,
  PersonalAccessToken,
  Session,
  User,
} from './modules/accounts/accounts.entity.js';
import { App } from './modules/apps/apps.entity.js';
import { AuditEntry } from './audit/audit.entity.js';
import { MailMessage } from './modules/mail/mail.entity.js';
import { Invitation, Membership, Organization } from './modules/orgs/orgs.entity.js';
import { Project } from './modules/projects/projects.entity.js';
import {
  ApiProduct,
  DevEnvironment,
  Plan,
  PlanSubscription,
} from './modules/products/products.entity.js';
import { ProductGrant, ReasonTemplate } from './modules/grants/grants.entity.js';
import { Notification } from './modules/notifications/notifications.entity.js';
import {
  ApplicationMessage,
  DeveloperApplication,
} from './modules/applications/applications.entity.js';
import { Credential } from './modules/credentials/credentials.entity.js';
import { DomainEvent } from './events/events.entity.js';
import { GatewayToken } from './modules/gateway-tokens/gateway-tokens.entity.js';
import {
  OrganizationUsageDay,
  OrganizationUsageHour,
  OrganizationUsageMinute,
  UsageAlert,
  UsageDay,
  UsageDirty,
  UsageHour,
  UsageMinute,
} from './modules/usage/usage.entity.js';
import { WebhookDelivery, WebhookEndpoint } from './modules/webhooks/webhooks.entity.js';
import { BulkRun, BulkRunItem } from './modules/staff/staff.entity.js';
import {
  AppKey,
  OAuthAuthorization,
  OAuthRecord,
  OAuthSigningKey,
} from './modules/oauth/oauth.entity.js';
import {
  ApiEndpoint,
  ChangelogEntry,
  DocumentRevision,
  LabsFeedback,
  ProductCatalogue,
  ProductDocument,
  SandboxToken,
} from './modules/catalogue/catalogue.entity.js';
import { initOrmWith, type OrmOptions } from './db/orm.js';

/** Every module's entities: what the ORM maps. */
export const entities = [
  User,
  Session,
  EmailToken,
  PersonalAccessToken,
  Organization,
  Membership,
  Invitation,
  Project,
  App,
  AuditEntry,
  MailMessage,
  ApiProduct,
  Plan,
  PlanSubscription,
  DevEnvironment,
  ProductGrant,
  ReasonTemplate,
  Notification,
  DeveloperApplication,
  ApplicationMessage,
  DomainEvent,
  Credential,
  GatewayToken,
  UsageMinute,
  UsageHour,
  UsageDay,
  OrganizationUsageMinute,
  OrganizationUsageHour,
  OrganizationUsageDay,
  UsageDirty,
  UsageAlert,
  WebhookEndpoint,
  WebhookDelivery,
  BulkRun,
  BulkRunItem,
  OAuthRecord,
  OAuthSigningKey,
  OAuthAuthorization,
  AppKey,
  ProductCatalogue,
  ProductDocument,
  DocumentRevision,
  ApiEndpoint,
  ChangelogEntry,
  SandboxToken,
  LabsFeedback,
];

/** The ORM on `options.clientUrl`, mapping every entity of the server. */
export async function initOrm(options: OrmOptions): Promise<MikroORM> {
  return initOrmWith(entities, options);
}
