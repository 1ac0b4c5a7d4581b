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
];
