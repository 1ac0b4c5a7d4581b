import { useQuery } from '@apollo/client/react';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconFileCertificate } from '@tabler/icons-react';
import { Link } from 'react-router';
import { ApplicationStatusBadge } from './ApplicationStatusBadge';
import { MyApplicationQuery } from './applications.operations';

/**
 * Shown instead of app creation while the viewer's developer account is not approved: the
 * status of their application, or a call to apply.
 */
export function ApplyCallout() {
  const { data } = useQuery(MyApplicationQuery, { fetchPolicy: 'cache-and-network' });
  const application = data?.viewer?.developerApplication ?? null;
  const open = application?.status === 'PENDING' || application?.status === 'QUESTION';
  const title = !application
    ? 'Apply for a developer account to create apps'
    : application.status === 'QUESTION'
      ? 'Staff asked a question about your developer application'
      : open
        ? 'Your developer application is under review'
        : 'Apply again for a developer account to create apps';
  const text = !application
    ? 'Portal staff approve who may build on the APIs. Tell them what you will build; once approved you can create apps here.'
    : application.status === 'QUESTION'
      ? 'Answer it to send your application back for review.'
      : open
        ? 'You can create apps as soon as it is approved. We will notify you.'
        : 'Your last application was not approved. You may apply again with more detail.';
  const action = !application
    ? 'Apply for developer access'
    : application.status === 'QUESTION'
      ? 'Answer the question'
      : open
        ? 'View application'
        : 'Apply again';
  return (
    <Alert
      color={application?.status === 'QUESTION' ? 'blue' : 'indigo'}
      variant="light"
      icon={<IconFileCertificate size={20} />}
      title={
        <Group gap="xs">
          <span>{title}</span>
          {application ? <ApplicationStatusBadge status={application.status} size="sm" /> : null}
        </Group>
      }
      mb="lg"
    >
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{text}</Text>
        <Button component={Link} to="/developer-application" size="sm">
          {action}
        </Button>
      </Stack>
    </Alert>
  );
}
