import {
  EmailToken,
  PersonalAccessToken,
  Session,
  User,
} from '../modules/accounts/accounts.entity.js';
import { App } from '../modules/apps/apps.entity.js';
import { AuditEntry } from '../modules/audit/audit.entity.js';
import { MailMessage } from '../modules/mail/mail.entity.js';
import { Invitation, Membership, Organization } from '../modules/orgs/orgs.entity.js';
import { Project } from '../modules/projects/projects.entity.js';
import {
  ApiProduct,
  DevEnvironment,
  Plan,
  PlanSubscription,
} from '../modules/products/products.entity.js';
import { ProductGrant, ReasonTemplate } from '../modules/grants/grants.entity.js';
import { Notification } from '../modules/notifications/notifications.entity.js';
import {
  ApplicationMessage,
  DeveloperApplication,
} from '../modules/applications/applications.entity.js';
import { Credential } from '../modules/credentials/credentials.entity.js';
import { DomainEvent } from '../events/events.entity.js';
import { GatewayToken } from '../modules/gateway-tokens/gateway-tokens.entity.js';
import { UsageMinute } from '../gateway/usage.entity.js';

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
];
