import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({
  description: 'An object with an opaque, prefixed id that `node(id:)` can fetch.',
  resolveType: (value: { id: string }) => nodeTypeNameOf(value.id),
})
export abstract class Node {
  @Field(() => ID, {
    description: 'Its id: opaque, prefixed by its kind (e.g. `app_…`), stable for its whole life.',
  })
  id!: string;
}

const TYPE_BY_PREFIX: Record<string, string> = {
  usr: 'User',
  pat: 'PersonalAccessToken',
  org: 'Organization',
  mem: 'Membership',
  inv: 'Invitation',
  prj: 'Project',
  app: 'App',
  aud: 'AuditEntry',
  mail: 'MailMessage',
  prd: 'ApiProduct',
  pln: 'Plan',
  sub: 'PlanSubscription',
  env: 'DevEnvironment',
  grt: 'ProductGrant',
  rsn: 'ReasonTemplate',
  ntf: 'Notification',
  dap: 'DeveloperApplication',
  dam: 'ApplicationMessage',
  crd: 'Credential',
  gwt: 'GatewayToken',
  whk: 'WebhookEndpoint',
  whd: 'WebhookDelivery',
  doc: 'ProductDocument',
  rev: 'DocumentRevision',
  ept: 'ApiEndpoint',
  chg: 'ChangelogEntry',
  fbk: 'LabsFeedback',
};

export function nodeTypeNameOf(id: string): string | undefined {
  return TYPE_BY_PREFIX[id.slice(0, id.indexOf('_'))];
}
