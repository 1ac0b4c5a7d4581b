// A third-party client of Portico's GraphQL API, as an integrator would write one: with a
// fine-grained personal access token for one organization (ORGANIZATION read, APPS and
// CREDENTIALS write), it lists the organization's apps, creates an app, gives it an API key and
// rotates that key with a grace period.
//
//   PORTICO_TOKEN=ptf_… node client.mjs
//
// PORTICO_URL (default http://127.0.0.1:4000/graphql) is the API; PORTICO_ORGANIZATION_ID picks
// the organization (default: the token owner's first). The new key's secret is shown once by
// the API: a real client stores it in its secret store; this one prints only its last four.
import { ClientError, GraphQLClient, gql } from 'graphql-request';

const url = process.env.PORTICO_URL ?? 'http://127.0.0.1:4000/graphql';
const token = process.env.PORTICO_TOKEN;
if (!token) {
  console.error(
    'Set PORTICO_TOKEN to a fine-grained personal access token (ORGANIZATION read, APPS and CREDENTIALS write).',
  );
  process.exit(2);
}

const client = new GraphQLClient(url, { headers: { authorization: `Bearer ${token}` } });

const ORGANIZATIONS = gql`
  query Organizations {
    viewer {
      name
      organizations {
        id
        name
      }
    }
  }
`;

// A page of the organization's apps: lists that grow are cursor connections with a total.
const APPS = gql`
  query Apps($id: ID!, $after: String) {
    organization(id: $id) {
      appsConnection(first: 50, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          name
          status
        }
      }
    }
  }
`;

const CREATE_APP = gql`
  mutation CreateApp($input: CreateAppInput!) {
    createApp(input: $input) {
      app {
        id
        name
        status
      }
    }
  }
`;

const CREATE_KEY = gql`
  mutation CreateKey($input: CreateCredentialInput!) {
    createCredential(input: $input) {
      credential {
        id
        kind
        lastFour
      }
      secret
    }
  }
`;

const ROTATE_KEY = gql`
  mutation RotateKey($input: RotateCredentialInput!) {
    rotateCredential(input: $input) {
      credential {
        id
        lastFour
      }
      previousCredential {
        id
        lastFour
        expiresAt
      }
      secret
    }
  }
`;

/** Runs an operation; prints what it cost and what is left of the hourly budget. */
async function call(document, variables) {
  const { data, extensions } = await client.rawRequest(document, variables);
  const cost = extensions?.cost;
  if (cost) console.log(`  (cost ${cost.requested}, ${cost.remaining} of ${cost.limit} left)`);
  return data;
}

async function main() {
  const { viewer } = await call(ORGANIZATIONS);
  if (!viewer) throw new Error('The token was not accepted.');
  const wanted = process.env.PORTICO_ORGANIZATION_ID;
  const organization = wanted
    ? viewer.organizations.find((org) => org.id === wanted)
    : viewer.organizations[0];
  if (!organization) throw new Error(`${viewer.name} is in no such organization.`);

  let after = null;
  let total = 0;
  do {
    const page = (await call(APPS, { id: organization.id, after })).organization.appsConnection;
    if (after === null) {
      total = page.totalCount;
      console.log(`Apps of ${organization.name} (${organization.id}): ${total}`);
    }
    for (const app of page.nodes) console.log(`  ${app.id}  ${app.status}  ${app.name}`);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);
  if (total === 0) console.log('  (none)');

  const name = `Example client ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`;
  const { createApp } = await call(CREATE_APP, {
    input: { organizationId: organization.id, name, description: 'Made by the example client.' },
  });
  const app = createApp.app;
  console.log(`Created app ${app.id} (${app.name}), ${app.status}`);

  const { createCredential } = await call(CREATE_KEY, {
    input: { appId: app.id, kind: 'BEARER_TOKEN' },
  });
  const key = createCredential.credential;
  console.log(`Created key ${key.id} (${key.kind}, …${key.lastFour})`);

  const { rotateCredential } = await call(ROTATE_KEY, {
    input: { credentialId: key.id, graceDays: 7 },
  });
  const { credential, previousCredential } = rotateCredential;
  console.log(
    `Rotated: new key ${credential.id} (…${credential.lastFour}); ` +
      `${previousCredential.id} (…${previousCredential.lastFour}) works until ${previousCredential.expiresAt}`,
  );
}

main().catch((err) => {
  if (err instanceof ClientError) {
    for (const error of err.response.errors ?? []) {
      const code = error.extensions?.code ?? 'ERROR';
      console.error(`${code}: ${error.message}`);
    }
  } else {
    console.error(err instanceof Error ? err.message : String(err));
  }
  process.exit(1);
});
