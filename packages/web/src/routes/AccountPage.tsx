import { useQuery } from '@apollo/client/react';
import { Badge, Card, Grid, Stack, Text, Title } from '@mantine/core';
import { AccountQuery } from '../features/accounts/account.operations';
import { ChangePasswordForm } from '../features/accounts/ChangePasswordForm';
import { PersonalAccessTokens } from '../features/accounts/PersonalAccessTokens';
import { ProfileForm } from '../features/accounts/ProfileForm';
import { formatDate } from '../features/common/format';
import { PageHeader } from '../features/common/PageHeader';
import { AuthorizedApps } from '../features/oauth/AuthorizedApps';
import { PageSkeleton, QueryError } from '../features/common/states';

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: React.ReactNode;
}) {
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Title order={3} size="h5">
          {title}
        </Title>
        <Text size="sm" c="dimmed" mt={4}>
          {description}
        </Text>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Card padding="lg">{children}</Card>
      </Grid.Col>
    </Grid>
  );
}

export function AccountPage() {
  const { data, loading, error, refetch } = useQuery(AccountQuery, {
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <PageSkeleton rows={3} />;
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const viewer = data?.viewer;
  if (!viewer) return <QueryError error={new Error('You are signed out.')} />;

  return (
    <>
      <PageHeader
        title="Account settings"
        description={
          <>
            Member since {formatDate(viewer.createdAt)}
            {viewer.platformRole === 'STAFF' ? (
              <Badge ml="xs" size="sm" variant="light" color="grape">
                Staff
              </Badge>
            ) : null}
          </>
        }
      />
      <Stack gap="xl">
        <Section
          title="Profile"
          description="Your name is shown to the people in your organizations."
        >
          <ProfileForm
            name={viewer.name}
            email={viewer.email}
            emailVerified={viewer.emailVerified}
          />
        </Section>
        <Section title="Password" description="Changing it keeps you signed in here.">
          <ChangePasswordForm />
        </Section>
        <Card padding="lg">
          <PersonalAccessTokens
            tokens={viewer.personalAccessTokens}
            organizations={viewer.organizations}
            staff={viewer.platformRole === 'STAFF'}
          />
        </Card>
        <Card padding="lg">
          <AuthorizedApps />
        </Card>
      </Stack>
    </>
  );
}
