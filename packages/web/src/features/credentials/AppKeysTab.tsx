import { useMutation, useQuery } from '@apollo/client/react';
import { Card, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import type { CredentialFieldsFragment, CredentialKind } from '../../gql/graphql';
import { ConfirmModal } from '../common/AppModal';
import { QueryError, TableSkeleton } from '../common/states';
import { errorMessage } from '../forms/serverErrors';
import { credentialName, groupCredentials, KINDS, kindInfo } from './credentialDisplay';
import {
  AppCredentialsQuery,
  CreateCredentialMutation,
  EndCredentialGraceMutation,
  RegenerateCredentialMutation,
  RevokeCredentialMutation,
  secretMutationOptions,
} from './credentials.operations';
import { CredentialSection } from './CredentialSection';
import { RotateModal } from './RotateModal';
import { type IssuedSecret, SecretModal } from './SecretModal';
import { useModalTarget } from './useModalTarget';
import { useNow } from './useNow';

type Confirmation = {
  action: 'regenerate' | 'revoke' | 'endGrace';
  credential: CredentialFieldsFragment;
};

/** The app's keys and tokens: one section per kind; managers create, rotate and revoke. */
export function AppKeysTab({ appId }: { appId: string }) {
  const { data, loading, error, refetch } = useQuery(AppCredentialsQuery, {
    variables: { id: appId },
    fetchPolicy: 'cache-and-network',
  });
  const now = useNow();
  const [issued, setIssued] = useState<IssuedSecret | null>(null);
  const [creatingKind, setCreatingKind] = useState<CredentialKind | null>(null);
  const rotation = useModalTarget<CredentialFieldsFragment>();
  const confirmation = useModalTarget<Confirmation>();
  const [create] = useMutation(CreateCredentialMutation, secretMutationOptions());
  const [regenerate, regenerating] = useMutation(
    RegenerateCredentialMutation,
    secretMutationOptions(),
  );
  const [revoke, revoking] = useMutation(RevokeCredentialMutation);
  const [endGrace, ending] = useMutation(EndCredentialGraceMutation);

  if (loading && !data) {
    return (
      <Card padding="lg">
        <TableSkeleton rows={4} />
      </Card>
    );
  }
  if (error && !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  const app = data?.app;
  if (!app) return null;
  const groups = groupCredentials(app.credentials);
  const manage = app.viewerCanManage;

  const onCreate = async (kind: CredentialKind) => {
    setCreatingKind(kind);
    try {
      const result = await create({ variables: { input: { appId, kind } } });
      const payload = result.data?.createCredential;
      if (payload) {
        setIssued({
          kind: payload.credential.kind,
          publicId: payload.publicId,
          secret: payload.secret,
          reason: 'created',
          previous: null,
        });
      }
    } catch (failure) {
      notifications.show({
        color: 'red',
        title: `Could not create the ${kindInfo(kind).singular}`,
        message: errorMessage(failure),
      });
    } finally {
      setCreatingKind(null);
    }
  };

  const onConfirm = async () => {
    if (!confirmation.target) return;
    const { action, credential } = confirmation.target;
    const name = credentialName(credential);
    const input = { credentialId: credential.id };
    try {
      if (action === 'regenerate') {
        const result = await regenerate({ variables: { input } });
        const payload = result.data?.regenerateCredential;
        confirmation.close();
        if (payload) {
          setIssued({
            kind: payload.credential.kind,
            publicId: payload.publicId,
            secret: payload.secret,
            reason: 'regenerated',
            previous: {
              status: payload.previousCredential.status,
              expiresAt: payload.previousCredential.expiresAt,
            },
          });
        }
      } else if (action === 'revoke') {
        await revoke({ variables: { input } });
        confirmation.close();
        notifications.show({
          color: 'teal',
          title: 'Revoked',
          message: `${name} stopped working.`,
        });
      } else {
        await endGrace({ variables: { input } });
        confirmation.close();
        notifications.show({
          color: 'teal',
          title: 'Grace period ended',
          message: `${name} stopped working; only its replacement works now.`,
        });
      }
    } catch (failure) {
      notifications.show({
        color: 'red',
        title: confirmationText[action].failure,
        message: errorMessage(failure),
      });
    }
  };

  return (
    <Stack gap="lg">
      <Text size="sm" c="dimmed">
        A secret is shown once, when it is made: Portico keeps only a hash and its last four
        characters. Credentials work only for the products granted to this app.
      </Text>
      {KINDS.map((info) => (
        <CredentialSection
          key={info.kind}
          info={info}
          credentials={groups[info.kind]}
          now={now}
          actions={
            manage
              ? {
                  onCreate: () => void onCreate(info.kind),
                  creating: creatingKind === info.kind,
                  onRotate: rotation.open,
                  onRegenerate: (credential) =>
                    confirmation.open({ action: 'regenerate', credential }),
                  onRevoke: (credential) => confirmation.open({ action: 'revoke', credential }),
                  onEndGrace: (credential) => confirmation.open({ action: 'endGrace', credential }),
                }
              : undefined
          }
        />
      ))}

      <RotateModal
        target={rotation.target}
        opened={rotation.opened}
        onClose={rotation.close}
        onRotated={(rotated) => {
          rotation.close();
          setIssued(rotated);
        }}
      />
      <ConfirmDialog
        confirmation={confirmation.target}
        opened={confirmation.opened}
        onClose={confirmation.close}
        loading={regenerating.loading || revoking.loading || ending.loading}
        onConfirm={() => void onConfirm()}
      />
      <SecretModal issued={issued} onDone={() => setIssued(null)} />
    </Stack>
  );
}

function ConfirmDialog({
  confirmation,
  opened,
  onClose,
  loading,
  onConfirm,
}: {
  confirmation: Confirmation | null;
  opened: boolean;
  onClose: () => void;
  loading: boolean;
  onConfirm: () => void;
}) {
  const text = confirmation ? confirmationText[confirmation.action] : null;
  return (
    <ConfirmModal
      opened={opened}
      onClose={onClose}
      title={confirmation && text ? text.title(confirmation.credential) : ''}
      confirmLabel={text?.confirm ?? ''}
      danger
      loading={loading}
      onConfirm={onConfirm}
    >
      {confirmation && text ? <Text size="sm">{text.body(confirmation.credential)}</Text> : null}
    </ConfirmModal>
  );
}

const confirmationText: Record<
  Confirmation['action'],
  {
    title: (credential: CredentialFieldsFragment) => string;
    body: (credential: CredentialFieldsFragment) => ReactNode;
    confirm: string;
    failure: string;
  }
> = {
  regenerate: {
    title: (credential) => `Regenerate ${kindInfo(credential.kind).singular}`,
    body: (credential) => (
      <>
        Regenerate <b>{credentialName(credential)}</b>? Its secret stops working at once and a new
        one is shown once. To keep the current secret working for a while, rotate instead.
      </>
    ),
    confirm: 'Regenerate',
    failure: 'Could not regenerate',
  },
  revoke: {
    title: (credential) => `Revoke ${kindInfo(credential.kind).singular}`,
    body: (credential) => (
      <>
        Revoke <b>{credentialName(credential)}</b>? It stops working at once. This cannot be undone.
      </>
    ),
    confirm: 'Revoke',
    failure: 'Could not revoke',
  },
  endGrace: {
    title: () => 'End grace period',
    body: (credential) => (
      <>
        End the grace period of <b>{credentialName(credential)}</b> now? It stops working at once;
        only the new {kindInfo(credential.kind).singular} works.
      </>
    ),
    confirm: 'End grace now',
    failure: 'Could not end the grace period',
  },
};
