import { useQuery } from '@apollo/client/react';
import { Select } from '@mantine/core';
import { useParams, useSearchParams } from 'react-router';
import { PageBreadcrumbs } from '../features/common/Breadcrumbs';
import { PageHeader } from '../features/common/PageHeader';
import { PageSkeleton, QueryError } from '../features/common/states';
import type { UsageScopesQuery as UsageScopesResult } from '../gql/graphql';
import { UsageScopesQuery } from '../features/usage/usage.operations';
import { UsageDashboard, usePeriodParam } from '../features/usage/UsageDashboard';
import { useUsage, type BreakdownKey } from '../features/usage/useUsage';
import { NotFoundPage } from './NotFoundPage';

type Organization = NonNullable<UsageScopesResult['organization']>;

interface Scope {
  id: string;
  name: string;
  breakdowns: readonly BreakdownKey[];
}

const ORG_BREAKDOWNS: readonly BreakdownKey[] = ['app', 'product', 'environment'];
const PROJECT_BREAKDOWNS: readonly BreakdownKey[] = ['app', 'product', 'environment'];
const APP_BREAKDOWNS: readonly BreakdownKey[] = ['credential', 'product', 'environment'];
const ENVIRONMENT_BREAKDOWNS: readonly BreakdownKey[] = ['app', 'product'];

/** Everything the page can narrow to, the organization first. */
function scopes(org: Organization): { groups: { group: string; items: Scope[] }[]; all: Scope[] } {
  const whole: Scope = { id: org.id, name: 'Whole organization', breakdowns: ORG_BREAKDOWNS };
  const projects = org.projectsConnection.nodes.map((project) => ({
    id: project.id,
    name: project.name,
    breakdowns: PROJECT_BREAKDOWNS,
  }));
  const apps = [
    ...org.projectsConnection.nodes.flatMap((project) => project.appsConnection.nodes),
    ...org.standaloneAppsConnection.nodes,
  ]
    .map((app) => ({ id: app.id, name: app.name, breakdowns: APP_BREAKDOWNS }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const environments = org.devEnvironments.map((environment) => ({
    id: environment.id,
    name: `${environment.label} (${environment.product.name})`,
    breakdowns: ENVIRONMENT_BREAKDOWNS,
  }));
  const groups = [
    { group: 'Organization', items: [whole] },
    { group: 'Projects', items: projects },
    { group: 'Apps', items: apps },
    { group: 'Dev environments', items: environments },
  ].filter((group) => group.items.length > 0);
  return { groups, all: groups.flatMap((group) => group.items) };
}

/** Usage of an organization, or of one of its projects, apps or dev environments (`?of=`). */
export function UsagePage() {
  const { orgId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(UsageScopesQuery, {
    variables: { id: orgId },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={3} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const org = data?.organization;
  if (!org) return <NotFoundPage />;
  return <OrganizationUsage org={org} />;
}

function OrganizationUsage({ org }: { org: Organization }) {
  const [params, setParams] = useSearchParams();
  const [period, setPeriod] = usePeriodParam();
  const { groups, all } = scopes(org);
  const wanted = params.get('of');
  const scope = all.find((candidate) => candidate.id === wanted) ?? all[0];
  const current = scope ?? { id: org.id, name: org.name, breakdowns: ORG_BREAKDOWNS };
  const usage = useUsage({
    of: current.id,
    period,
    breakdowns: current.breakdowns,
    withCaps: true,
  });
  const isWhole = current.id === org.id;

  return (
    <>
      <PageHeader
        above={
          <PageBreadcrumbs
            items={[{ label: org.name, to: `/orgs/${org.id}` }, { label: 'Usage' }]}
          />
        }
        title="Usage"
        description={
          isWhole
            ? `Calls to the APIs by every app of ${org.name}, and the monthly caps of its plans.`
            : `Calls by ${current.name}, against the monthly caps of ${org.name}'s plans.`
        }
      />
      <UsageDashboard
        scopeName={isWhole ? org.name : `${org.name} ${current.name}`}
        period={period}
        onPeriodChange={setPeriod}
        controls={
          <Select
            label="Show"
            data={groups.map((group) => ({
              group: group.group,
              items: group.items.map((item) => ({ value: item.id, label: item.name })),
            }))}
            value={current.id}
            onChange={(next) => {
              const updated = new URLSearchParams(params);
              if (!next || next === org.id) updated.delete('of');
              else updated.set('of', next);
              setParams(updated, { replace: true });
            }}
            allowDeselect={false}
            searchable
            w={260}
            maxDropdownHeight={360}
          />
        }
        view={usage.view}
        loading={usage.loading}
        error={usage.error}
        onRetry={usage.refetch}
      />
    </>
  );
}
