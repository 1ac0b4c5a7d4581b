import { registerEnumType } from 'type-graphql';
import { PorticoError, ErrorCode } from '../errors.js';

/*
 * What a fine-grained personal access token may do: a fixed set of areas, each NONE, READ or
 * WRITE, and one table that maps every root operation of the schema to the one area and level
 * it needs. An operation missing from the table is refused to fine-grained tokens (deny by
 * default), and token-permissions.test.ts fails while one is missing.
 *
 * Beside the operations, every object type of the schema belongs to an area (or to none): a
 * field that leads from one area into another (`Organization.apps`, `App.credentials`) needs
 * READ on the area it leads into, so that nesting reaches nothing the token could not ask for
 * at the root. The guards are put on the schema by `guardFields` (schema.ts).
 *
 * A token never does more than its user may: the services still check the user's role and
 * membership; the token's permissions only take away.
 */

/** The areas a fine-grained token is given permissions on. */
export enum TokenArea {
  ORGANIZATION = 'ORGANIZATION',
  MEMBERS = 'MEMBERS',
  PROJECTS = 'PROJECTS',
  APPS = 'APPS',
  CREDENTIALS = 'CREDENTIALS',
  SUBSCRIPTIONS = 'SUBSCRIPTIONS',
  USAGE = 'USAGE',
  WEBHOOKS = 'WEBHOOKS',
  AUDIT_LOG = 'AUDIT_LOG',
  ACCOUNT = 'ACCOUNT',
  NOTIFICATIONS = 'NOTIFICATIONS',
  STAFF_REVIEW = 'STAFF_REVIEW',
  STAFF_CONSOLE = 'STAFF_CONSOLE',
  STAFF_CATALOG = 'STAFF_CATALOG',
  STAFF_AUDIT = 'STAFF_AUDIT',
}
registerEnumType(TokenArea, {
  name: 'TokenArea',
  description: 'An area a fine-grained personal access token is given NONE, READ or WRITE on.',
  valuesConfig: {
    ORGANIZATION: { description: "The organization's profile and settings; its live events." },
    MEMBERS: { description: 'Members and invitations.' },
    PROJECTS: { description: 'Projects.' },
    APPS: { description: 'Apps (creating, changing and deleting them).' },
    CREDENTIALS: { description: "Apps' credentials, public keys and sandbox tokens." },
    SUBSCRIPTIONS: {
      description: 'The catalogue, product grants, plan subscriptions and dev environments.',
    },
    USAGE: { description: 'Usage and its charts.' },
    WEBHOOKS: { description: 'Webhook endpoints and deliveries.' },
    AUDIT_LOG: { description: "The organization's audit log." },
    ACCOUNT: {
      description:
        'Your profile, developer application, invitations, organizations and Labs feedback (own-account tokens only).',
    },
    NOTIFICATIONS: { description: 'Your notifications and live events (own-account tokens only).' },
    STAFF_REVIEW: { description: 'Staff: the review queue, decisions and reason templates.' },
    STAFF_CONSOLE: {
      description: 'Staff: apps and organizations of the portal, suspensions, bulk runs.',
    },
    STAFF_CATALOG: {
      description:
        "Staff: products, plans, the catalogue's documents and changelogs, Labs feedback, deprecation notices, gateway tokens and OAuth signing keys.",
    },
    STAFF_AUDIT: { description: 'Staff: the audit log of the portal and the mail outbox.' },
  },
});

/** How much a token may do in an area. WRITE includes READ. */
export enum TokenAccess {
  NONE = 'NONE',
  READ = 'READ',
  WRITE = 'WRITE',
}
registerEnumType(TokenAccess, {
  name: 'TokenAccess',
  description: 'NONE, READ (queries and subscriptions) or WRITE (mutations too) on an area.',
  valuesConfig: {
    NONE: { description: 'Nothing in the area.' },
    READ: { description: "The area's queries and subscriptions." },
    WRITE: { description: "The area's queries, subscriptions and mutations." },
  },
});

/** What an organization lets its members do with personal access tokens. */
export enum TokenPolicy {
  ALLOW = 'ALLOW',
  REQUIRE_APPROVAL = 'REQUIRE_APPROVAL',
  FORBID = 'FORBID',
}
registerEnumType(TokenPolicy, {
  name: 'TokenPolicy',
  description: "What an organization's admins allow of personal access tokens.",
  valuesConfig: {
    ALLOW: { description: 'Members may make fine-grained tokens for the organization.' },
    REQUIRE_APPROVAL: {
      description:
        "A member's new fine-grained token for the organization works once an admin approves it.",
    },
    FORBID: {
      description:
        'No personal access token reaches the organization: its fine-grained tokens stop working and classic tokens lose access to its data.',
    },
  },
});

/** Which areas a token bound to what may be given. */
export type AreaScope = 'organization' | 'account' | 'staff';

/**
 * Organization areas apply to the organization a token is bound to (or, for a token bound to
 * the user's own account, to their personal organizations); account areas only to tokens bound
 * to the user's own account; staff areas only to own-account tokens of staff members, since
 * staff work spans every organization.
 */
export const AREA_SCOPES: Readonly<Record<TokenArea, AreaScope>> = {
  ORGANIZATION: 'organization',
  MEMBERS: 'organization',
  PROJECTS: 'organization',
  APPS: 'organization',
  CREDENTIALS: 'organization',
  SUBSCRIPTIONS: 'organization',
  USAGE: 'organization',
  WEBHOOKS: 'organization',
  AUDIT_LOG: 'organization',
  ACCOUNT: 'account',
  NOTIFICATIONS: 'account',
  STAFF_REVIEW: 'staff',
  STAFF_CONSOLE: 'staff',
  STAFF_CATALOG: 'staff',
  STAFF_AUDIT: 'staff',
};

export const TOKEN_AREAS = Object.values(TokenArea);

export type TokenPermissions = Readonly<Partial<Record<TokenArea, TokenAccess>>>;

/** What a fine-grained token carries into a request (on `Viewer.grant`). */
export interface TokenGrant {
  /** The organization the token is bound to; null: bound to the user's own account. */
  readonly organizationId: string | null;
  /** Its permissions, only the areas it may use (see `effectivePermissions`). */
  readonly permissions: TokenPermissions;
}

const RANK: Readonly<Record<TokenAccess, number>> = { NONE: 0, READ: 1, WRITE: 2 };

export function accessAtLeast(given: TokenAccess | undefined, needed: TokenAccess): boolean {
  return RANK[given ?? TokenAccess.NONE] >= RANK[needed];
}

/** Whether an area may be given to a token bound to `organizationId` (null: own account). */
export function areaAllowed(
  area: TokenArea,
  organizationId: string | null,
  staffUser: boolean,
): boolean {
  const scope = AREA_SCOPES[area];
  if (scope === 'organization') return true;
  if (organizationId !== null) return false;
  return scope === 'account' || staffUser;
}

/**
 * The permissions a token may use now: those it was given, less the areas its binding does not
 * allow and, for a user who is no longer staff, the staff areas.
 */
export function effectivePermissions(
  permissions: TokenPermissions,
  organizationId: string | null,
  staffUser: boolean,
): TokenPermissions {
  const usable: Partial<Record<TokenArea, TokenAccess>> = {};
  for (const area of TOKEN_AREAS) {
    const level = permissions[area];
    if (!level || level === TokenAccess.NONE) continue;
    if (areaAllowed(area, organizationId, staffUser)) usable[area] = level;
  }
  return usable;
}

/**
 * What a root operation asks of a fine-grained token:
 * - `[area, level]`: that level (or more) on that area;
 * - `public`: nothing (the operation is open to anyone, signed in or not);
 * - `session`: never done with a token (account security: tokens, password, token policy);
 * - `result`: READ on the area of whatever it answers with (`node(id:)`).
 */
export type OperationPermission =
  readonly [TokenArea, TokenAccess.READ | TokenAccess.WRITE] | 'public' | 'session' | 'result';

const R = TokenAccess.READ;
const W = TokenAccess.WRITE;
const {
  ORGANIZATION,
  MEMBERS,
  PROJECTS,
  APPS,
  CREDENTIALS,
  SUBSCRIPTIONS,
  USAGE,
  WEBHOOKS,
  AUDIT_LOG,
  ACCOUNT,
  NOTIFICATIONS,
  STAFF_REVIEW,
  STAFF_CONSOLE,
  STAFF_CATALOG,
  STAFF_AUDIT,
} = TokenArea;

/** Every root operation and what it asks of a fine-grained token. */
export const OPERATION_PERMISSIONS: Readonly<Record<string, OperationPermission>> = {
  'Query.app': [APPS, R],
  'Query.auditLog': [AUDIT_LOG, R],
  'Query.authorizedApps': 'session',
  'Query.bulkRun': [STAFF_CONSOLE, R],
  'Query.bulkRuns': [STAFF_CONSOLE, R],
  'Query.catalogue': 'public',
  'Query.catalogueProduct': 'public',
  'Query.deprecationImpact': [STAFF_CATALOG, R],
  'Query.developerApplications': [STAFF_REVIEW, R],
  'Query.gatewayTokens': [STAFF_CATALOG, R],
  'Query.invitationByToken': 'public',
  'Query.labsFeedback': [ACCOUNT, R],
  'Query.labsProducts': [SUBSCRIPTIONS, R],
  'Query.mailOutbox': [STAFF_AUDIT, R],
  'Query.node': 'result',
  'Query.organization': [ORGANIZATION, R],
  'Query.plans': [SUBSCRIPTIONS, R],
  'Query.product': [SUBSCRIPTIONS, R],
  'Query.products': [SUBSCRIPTIONS, R],
  'Query.project': [PROJECTS, R],
  'Query.rateLimit': 'public',
  'Query.reasonTemplates': [STAFF_REVIEW, R],
  'Query.reviewQueue': [STAFF_REVIEW, R],
  'Query.searchCatalogue': 'public',
  'Query.staffApp': [STAFF_CONSOLE, R],
  'Query.staffApps': [STAFF_CONSOLE, R],
  'Query.staffAuditLog': [STAFF_AUDIT, R],
  'Query.staffHighUsageApps': [STAFF_CONSOLE, R],
  'Query.staffInventorySummary': [STAFF_CONSOLE, R],
  'Query.staffOrganization': [STAFF_CONSOLE, R],
  'Query.staffOrganizations': [STAFF_CONSOLE, R],
  'Query.staffPendingQueue': [STAFF_REVIEW, R],
  'Query.usage': [USAGE, R],
  'Query.viewer': 'public',
  'Query.webhookEndpoints': [WEBHOOKS, R],

  'Mutation.acceptInvitation': [ACCOUNT, W],
  'Mutation.addAppKey': [CREDENTIALS, W],
  'Mutation.answerApplicationQuestion': [ACCOUNT, W],
  'Mutation.answerLabsFeedback': [STAFF_CATALOG, W],
  'Mutation.applyForDeveloperAccount': [ACCOUNT, W],
  'Mutation.archiveProduct': [STAFF_CATALOG, W],
  'Mutation.askApplicationQuestion': [STAFF_REVIEW, W],
  'Mutation.changeMemberRole': [MEMBERS, W],
  'Mutation.changePassword': 'session',
  'Mutation.changePlan': [SUBSCRIPTIONS, W],
  'Mutation.closeLabsFeedback': [STAFF_CATALOG, W],
  'Mutation.createApp': [APPS, W],
  'Mutation.createChangelogEntry': [STAFF_CATALOG, W],
  'Mutation.createCredential': [CREDENTIALS, W],
  'Mutation.createDevEnvironment': [SUBSCRIPTIONS, W],
  'Mutation.createFineGrainedPersonalAccessToken': 'session',
  'Mutation.createGatewayToken': [STAFF_CATALOG, W],
  'Mutation.createOrganization': [ACCOUNT, W],
  'Mutation.createPersonalAccessToken': 'session',
  'Mutation.createPlan': [STAFF_CATALOG, W],
  'Mutation.createProduct': [STAFF_CATALOG, W],
  'Mutation.createProject': [PROJECTS, W],
  'Mutation.createReasonTemplate': [STAFF_REVIEW, W],
  'Mutation.createSandboxToken': [CREDENTIALS, W],
  'Mutation.createWebhookEndpoint': [WEBHOOKS, W],
  'Mutation.decideApplication': [STAFF_REVIEW, W],
  'Mutation.decideGrants': [STAFF_REVIEW, W],
  'Mutation.declineInvitation': [ACCOUNT, W],
  'Mutation.deleteApp': [APPS, W],
  'Mutation.deleteDevEnvironment': [SUBSCRIPTIONS, W],
  'Mutation.deleteProductDocument': [STAFF_CATALOG, W],
  'Mutation.deleteProject': [PROJECTS, W],
  'Mutation.deleteReasonTemplate': [STAFF_REVIEW, W],
  'Mutation.deleteWebhookEndpoint': [WEBHOOKS, W],
  'Mutation.disableWebhookEndpoint': [WEBHOOKS, W],
  'Mutation.enableWebhookEndpoint': [WEBHOOKS, W],
  'Mutation.endCredentialGrace': [CREDENTIALS, W],
  'Mutation.inviteMember': [MEMBERS, W],
  'Mutation.leaveOrganization': [MEMBERS, W],
  'Mutation.markNotificationsRead': [NOTIFICATIONS, W],
  'Mutation.planBulkRun': [STAFF_CONSOLE, W],
  'Mutation.publishChangelogEntry': [STAFF_CATALOG, W],
  'Mutation.publishProductDocument': [STAFF_CATALOG, W],
  'Mutation.regenerateCredential': [CREDENTIALS, W],
  'Mutation.removeAppKey': [CREDENTIALS, W],
  'Mutation.removeMember': [MEMBERS, W],
  'Mutation.replayWebhookDelivery': [WEBHOOKS, W],
  'Mutation.requestPasswordReset': 'public',
  'Mutation.requestProducts': [SUBSCRIPTIONS, W],
  'Mutation.resendInvitation': [MEMBERS, W],
  'Mutation.resendVerificationEmail': [ACCOUNT, W],
  'Mutation.resetPassword': 'public',
  'Mutation.reviewPersonalAccessToken': 'session',
  'Mutation.revokeAuthorizedApp': 'session',
  'Mutation.revokeCredential': [CREDENTIALS, W],
  'Mutation.revokeGatewayToken': [STAFF_CATALOG, W],
  'Mutation.revokeGrant': [STAFF_REVIEW, W],
  'Mutation.revokeInvitation': [MEMBERS, W],
  'Mutation.revokePersonalAccessToken': 'session',
  'Mutation.rotateCredential': [CREDENTIALS, W],
  'Mutation.rotateOAuthSigningKey': [STAFF_CATALOG, W],
  'Mutation.rotateWebhookSecret': [WEBHOOKS, W],
  'Mutation.saveProductDocument': [STAFF_CATALOG, W],
  'Mutation.sendDeprecationNotice': [STAFF_CATALOG, W],
  'Mutation.sendLabsFeedback': [ACCOUNT, W],
  'Mutation.sendTestWebhook': [WEBHOOKS, W],
  'Mutation.setOrganizationTokenPolicy': 'session',
  'Mutation.setOrganizationVerified': [STAFF_CONSOLE, W],
  'Mutation.signIn': 'public',
  'Mutation.signOut': 'public',
  'Mutation.signUp': 'public',
  'Mutation.startBulkRun': [STAFF_CONSOLE, W],
  'Mutation.suspendApp': [STAFF_CONSOLE, W],
  'Mutation.unsuspendApp': [STAFF_CONSOLE, W],
  'Mutation.updateApp': [APPS, W],
  'Mutation.updateChangelogEntry': [STAFF_CATALOG, W],
  'Mutation.updateDevEnvironment': [SUBSCRIPTIONS, W],
  'Mutation.updateOrganization': [ORGANIZATION, W],
  'Mutation.updatePlan': [STAFF_CATALOG, W],
  'Mutation.updateProduct': [STAFF_CATALOG, W],
  'Mutation.updateProductCatalogue': [STAFF_CATALOG, W],
  'Mutation.updateProfile': [ACCOUNT, W],
  'Mutation.updateProject': [PROJECTS, W],
  'Mutation.updateReasonTemplate': [STAFF_REVIEW, W],
  'Mutation.updateWebhookEndpoint': [WEBHOOKS, W],
  'Mutation.verifyEmail': 'public',
  'Mutation.withdrawGrantRequest': [SUBSCRIPTIONS, W],

  'Subscription.organizationEvents': [ORGANIZATION, R],
  'Subscription.reviewQueueEvents': [STAFF_REVIEW, R],
  'Subscription.staffEvents': [STAFF_CONSOLE, R],
  'Subscription.viewerEvents': [NOTIFICATIONS, R],
};

/**
 * The area each object type's data belongs to; `null` for types of no area (the user as others
 * see them, pages, payloads). `*Payload` types have none and `*Connection` / `*Edge` types
 * that of their nodes, without being listed. `Node` is decided per object (`nodeArea`).
 */
export const TYPE_AREAS: Readonly<Record<string, TokenArea | null>> = {
  User: null,
  PageInfo: null,
  RateLimit: null,
  InvitationPreview: null,

  Organization: ORGANIZATION,
  OrganizationEvent: ORGANIZATION,
  Membership: MEMBERS,
  Invitation: MEMBERS,
  Project: PROJECTS,
  App: APPS,
  CustomAttribute: APPS,
  Credential: CREDENTIALS,
  ApiProduct: SUBSCRIPTIONS,
  ApprovalRulesType: SUBSCRIPTIONS,
  Plan: SUBSCRIPTIONS,
  PlanSubscription: SUBSCRIPTIONS,
  ProductGrant: SUBSCRIPTIONS,
  DevEnvironment: SUBSCRIPTIONS,
  Usage: USAGE,
  UsageCap: USAGE,
  UsageGroup: USAGE,
  UsagePoint: USAGE,
  UsageStats: USAGE,
  UsageSummary: USAGE,
  WebhookEndpoint: WEBHOOKS,
  WebhookDelivery: WEBHOOKS,
  WebhookAttempt: WEBHOOKS,
  AuditEntry: AUDIT_LOG,
  AppKey: CREDENTIALS,
  ProductDocument: SUBSCRIPTIONS,
  DocumentRevision: SUBSCRIPTIONS,
  ApiEndpoint: SUBSCRIPTIONS,
  EndpointParameter: SUBSCRIPTIONS,
  EndpointRequestBody: SUBSCRIPTIONS,
  EndpointResponse: SUBSCRIPTIONS,
  CodeSample: SUBSCRIPTIONS,
  ChangelogEntry: SUBSCRIPTIONS,
  CatalogueSearchHit: SUBSCRIPTIONS,

  PersonalAccessToken: ACCOUNT,
  TokenPermission: ACCOUNT,
  DeveloperApplication: ACCOUNT,
  ApplicationMessage: ACCOUNT,
  LabsFeedback: ACCOUNT,
  OAuthAuthorization: ACCOUNT,
  AuthorizedAppInfo: ACCOUNT,
  Notification: NOTIFICATIONS,
  ViewerEvent: NOTIFICATIONS,

  ReviewItem: STAFF_REVIEW,
  ApplicationReviewItem: STAFF_REVIEW,
  GrantReviewItem: STAFF_REVIEW,
  QueueEvent: STAFF_REVIEW,
  ReasonTemplate: STAFF_REVIEW,
  StaffPendingQueueReport: STAFF_REVIEW,
  StaffPendingRequest: STAFF_REVIEW,
  StaffApp: STAFF_CONSOLE,
  StaffAppProduct: STAFF_CONSOLE,
  StaffOrganization: STAFF_CONSOLE,
  StaffOrganizationPlan: STAFF_CONSOLE,
  StaffInventorySummary: STAFF_CONSOLE,
  StaffProductCount: STAFF_CONSOLE,
  StaffStatusCount: STAFF_CONSOLE,
  StaffEvent: STAFF_CONSOLE,
  BulkRun: STAFF_CONSOLE,
  BulkRunItem: STAFF_CONSOLE,
  StaffUsage: STAFF_CONSOLE,
  StaffCapUse: STAFF_CONSOLE,
  StaffHighUsageReport: STAFF_CONSOLE,
  GatewayToken: STAFF_CATALOG,
  DeprecationImpact: STAFF_CATALOG,
  DeprecationImpactApp: STAFF_CATALOG,
  MailMessage: STAFF_AUDIT,
};

/** The type `node(id:)` answers with: its area is decided per object. */
export const NODE_TYPE = 'Node';

/**
 * The area of an object type (see `TYPE_AREAS`): null for none, undefined when the type is not
 * classified (the schema refuses to build then).
 */
export function areaOfType(name: string): TokenArea | null | undefined {
  if (Object.hasOwn(TYPE_AREAS, name)) return TYPE_AREAS[name];
  if (name.endsWith('Payload')) return null;
  for (const suffix of ['Connection', 'Edge']) {
    if (name.endsWith(suffix)) {
      const node = name.slice(0, -suffix.length);
      if (Object.hasOwn(TYPE_AREAS, node)) return TYPE_AREAS[node];
    }
  }
  return undefined;
}

export function isStaffArea(area: TokenArea | null): boolean {
  return area !== null && AREA_SCOPES[area] === 'staff';
}

/**
 * The area a field of `parentType` leads into and must check READ on (null: none): one other
 * than its parent's, except from a staff area (staff views embed what they show of
 * organizations; their own area covers it) and from a mutation's payload (what a mutation
 * answers with is covered by the permission it took; what lies further is checked again).
 */
export function areaEntered(parentType: string, target: TokenArea | null): TokenArea | null {
  if (target === null || parentType.endsWith('Payload')) return null;
  const from = areaOfType(parentType) ?? null;
  return target === from || isStaffArea(from) ? null : target;
}

/** FORBIDDEN for a fine-grained token without `level` on `area`. */
export function tokenLacks(area: TokenArea, level: TokenAccess): PorticoError {
  return new PorticoError(ErrorCode.FORBIDDEN, `This token needs ${level} on ${area}.`, undefined, {
    reason: 'TOKEN_PERMISSION',
    area,
    level,
  });
}

/** A viewer as these checks see it: what their fine-grained token carries, if anything. */
export interface GrantHolder {
  readonly grant: TokenGrant | null;
}

/** Whether the viewer may use `level` on `area`: always, unless signed in with a fine-grained token. */
export function tokenAllows(
  viewer: GrantHolder | null,
  area: TokenArea,
  level: TokenAccess,
): boolean {
  const grant = viewer?.grant;
  return !grant || accessAtLeast(grant.permissions[area], level);
}

/** Refuses a fine-grained token without `level` on `area` (nothing for anyone else). */
export function assertTokenAllows(
  viewer: GrantHolder | null,
  area: TokenArea,
  level: TokenAccess,
): void {
  if (!tokenAllows(viewer, area, level)) throw tokenLacks(area, level);
}
