import { Select } from '@mantine/core';
import { IconBuilding } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import type { Viewer } from '../accounts/viewer';
import type { ViewerOrganization } from './currentOrg';

interface OrgSwitcherProps {
  viewer: Viewer;
  current: ViewerOrganization | null;
}

/** Switches between the viewer's organizations (goes to the chosen org's dashboard). */
export function OrgSwitcher({ viewer, current }: OrgSwitcherProps) {
  const navigate = useNavigate();
  const data = viewer.organizations.map((org) => ({ value: org.id, label: org.name }));
  return (
    <Select
      aria-label="Organization"
      placeholder={data.length ? 'Choose an organization' : 'No organization yet'}
      data={data}
      value={current?.id ?? null}
      onChange={(value) => {
        if (value) void navigate(`/orgs/${value}`);
      }}
      allowDeselect={false}
      searchable={data.length > 8}
      nothingFoundMessage="No organization"
      leftSection={<IconBuilding size={16} />}
      w={{ base: 170, sm: 240 }}
      comboboxProps={{ shadow: 'md' }}
    />
  );
}
