import { useMutation } from '@apollo/client/react';
import { Button, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDoorExit } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ViewerQuery } from '../accounts/viewer';
import { ConfirmModal } from '../common/AppModal';
import { errorMessage } from '../forms/serverErrors';
import { LeaveOrganizationMutation } from './team.operations';

interface LeaveOrganizationButtonProps {
  organizationId: string;
  organizationName: string;
}

/** Leaving, after a confirmation; the viewer lands on the home page without the organization. */
export function LeaveOrganizationButton({
  organizationId,
  organizationName,
}: LeaveOrganizationButtonProps) {
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [leaveOrganization, leaving] = useMutation(LeaveOrganizationMutation);

  const onLeave = async () => {
    setError(null);
    try {
      await leaveOrganization({
        variables: { input: { organizationId } },
        refetchQueries: [ViewerQuery],
        awaitRefetchQueries: true,
      });
      notifications.show({
        color: 'teal',
        title: 'You left the organization',
        message: organizationName,
      });
      await navigate('/', { replace: true });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <>
      <Button
        variant="default"
        color="red"
        leftSection={<IconDoorExit size={16} />}
        onClick={() => {
          setError(null);
          setOpened(true);
        }}
      >
        Leave organization
      </Button>
      <ConfirmModal
        opened={opened}
        onClose={() => setOpened(false)}
        title="Leave organization"
        confirmLabel="Leave organization"
        danger
        loading={leaving.loading}
        onConfirm={() => void onLeave()}
        error={error}
      >
        <Text size="sm">
          Leave <b>{organizationName}</b>? You lose access to its projects and apps; the apps you
          own move to an admin.
        </Text>
      </ConfirmModal>
    </>
  );
}
