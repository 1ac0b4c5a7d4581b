import {
  Alert,
  Anchor,
  Avatar,
  Button,
  Group,
  List,
  Loader,
  Stack,
  Text,
  ThemeIcon,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconMail } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { AuthCard } from '../features/accounts/AuthCard';

/** What `GET /oauth/consent/:uid/details` answers (see the server's oauth.http.ts). */
interface ConsentDetails {
  uid: string;
  user: { name: string; email: string } | null;
  app: {
    name: string;
    iconUrl: string | null;
    websiteUrl: string | null;
    organizationName: string | null;
    privacyPolicyUrl: string | null;
    termsOfServiceUrl: string | null;
  };
  permissions: { scope: string; description: string }[];
  emailRequested: boolean;
}

type Loaded =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; details: ConsentDetails };

const EXPIRED =
  'This sign-in request has expired or was already answered: start again from the app.';

async function readJson(response: Response): Promise<Record<string, unknown>> {
  try {
    return (await response.json()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * The consent page an app's "Sign in with Portico" lands on: who asks, for what, approve or
 * deny. Signed-out visitors sign in first and come back here.
 */
export function OAuthConsentPage() {
  const { uid = '' } = useParams();
  const navigate = useNavigate();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [busy, setBusy] = useState<'approve' | 'deny' | null>(null);
  const base = `/oauth/consent/${encodeURIComponent(uid)}`;

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const response = await fetch(`${base}/details`, { credentials: 'same-origin' });
      const body = await readJson(response);
      if (cancelled) return;
      if (typeof body.redirectTo === 'string') {
        window.location.assign(body.redirectTo);
        return;
      }
      if (!response.ok) {
        setLoaded({ state: 'error', message: EXPIRED });
        return;
      }
      const details = body as unknown as ConsentDetails;
      if (!details.user) {
        await navigate(`/signin?next=${encodeURIComponent(base)}`, { replace: true });
        return;
      }
      setLoaded({ state: 'ready', details });
    })().catch(() => {
      if (!cancelled)
        setLoaded({ state: 'error', message: 'Portico could not be reached. Try again.' });
    });
    return () => {
      cancelled = true;
    };
  }, [base, navigate]);

  const answer = async (decision: 'approve' | 'deny') => {
    setBusy(decision);
    try {
      const response = await fetch(`${base}/${decision}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const body = await readJson(response);
      if (typeof body.redirectTo === 'string') {
        window.location.assign(body.redirectTo);
        return;
      }
      setLoaded({
        state: 'error',
        message: typeof body.message === 'string' ? body.message : EXPIRED,
      });
    } catch {
      setLoaded({ state: 'error', message: 'Portico could not be reached. Try again.' });
    } finally {
      setBusy(null);
    }
  };

  if (loaded.state === 'loading') {
    return (
      <AuthCard title="Authorize app">
        <Group justify="center" py="lg">
          <Loader size="sm" aria-label="Loading the request" />
        </Group>
      </AuthCard>
    );
  }
  if (loaded.state === 'error') {
    return (
      <AuthCard title="Authorize app">
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Cannot continue">
          {loaded.message}
        </Alert>
      </AuthCard>
    );
  }

  const { app, user, permissions, emailRequested } = loaded.details;
  return (
    <AuthCard
      title={`${app.name} wants to access your Portico account`}
      description={
        user ? (
          <>
            Signed in as <b>{user.name}</b> ({user.email})
          </>
        ) : null
      }
      footer={
        <>
          You can revoke this at any time in{' '}
          <Anchor href="/account" size="sm">
            account settings
          </Anchor>
          .
        </>
      }
    >
      <Group gap="md" wrap="nowrap">
        <Avatar src={app.iconUrl} alt="" radius="md" size="lg" color="indigo">
          {app.name.slice(0, 2).toUpperCase()}
        </Avatar>
        <Stack gap={2}>
          <Text fw={600}>{app.name}</Text>
          {app.organizationName ? (
            <Text size="sm" c="dimmed">
              by {app.organizationName}
            </Text>
          ) : null}
          {app.websiteUrl ? (
            <Anchor href={app.websiteUrl} target="_blank" rel="noopener noreferrer" size="sm">
              {new URL(app.websiteUrl).host}
            </Anchor>
          ) : null}
        </Stack>
      </Group>

      <Stack gap="xs">
        <Text size="sm" fw={600}>
          It will be able to:
        </Text>
        <List
          spacing="xs"
          size="sm"
          icon={
            <ThemeIcon color="teal" size={20} radius="xl">
              <IconCheck size={14} />
            </ThemeIcon>
          }
        >
          {permissions.map((permission) => (
            <List.Item key={permission.scope}>{permission.description}</List.Item>
          ))}
          {emailRequested ? (
            <List.Item
              icon={
                <ThemeIcon color="indigo" size={20} radius="xl">
                  <IconMail size={14} />
                </ThemeIcon>
              }
            >
              Share your email address ({user?.email}) with the app.
            </List.Item>
          ) : null}
        </List>
      </Stack>

      {app.privacyPolicyUrl || app.termsOfServiceUrl ? (
        <Text size="xs" c="dimmed">
          Read {app.name}&apos;s{' '}
          {app.privacyPolicyUrl ? (
            <Anchor href={app.privacyPolicyUrl} target="_blank" rel="noopener noreferrer" size="xs">
              privacy policy
            </Anchor>
          ) : null}
          {app.privacyPolicyUrl && app.termsOfServiceUrl ? ' and ' : null}
          {app.termsOfServiceUrl ? (
            <Anchor
              href={app.termsOfServiceUrl}
              target="_blank"
              rel="noopener noreferrer"
              size="xs"
            >
              terms of service
            </Anchor>
          ) : null}
          .
        </Text>
      ) : null}

      <Group grow>
        <Button
          variant="default"
          onClick={() => void answer('deny')}
          loading={busy === 'deny'}
          disabled={busy !== null}
        >
          Deny
        </Button>
        <Button
          onClick={() => void answer('approve')}
          loading={busy === 'approve'}
          disabled={busy !== null}
        >
          Authorize
        </Button>
      </Group>
    </AuthCard>
  );
}
