import { Button, Group, Modal, Stack, Text, type ModalProps } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';

/**
 * Mantine's Modal, plus: while it is open the page behind it is hidden from assistive
 * technology (it renders in a portal outside #root), so the dialog is the only thing a screen
 * reader, or a test querying by role, sees.
 */
export function AppModal(props: ModalProps) {
  const { opened } = props;
  useEffect(() => {
    const root = document.getElementById('root');
    if (!opened || !root) return;
    root.setAttribute('aria-hidden', 'true');
    return () => root.removeAttribute('aria-hidden');
  }, [opened]);
  return (
    <Modal centered radius="lg" overlayProps={{ backgroundOpacity: 0.45, blur: 2 }} {...props} />
  );
}

interface ConfirmModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  loading?: boolean;
  danger?: boolean;
  /** Shown above the buttons, e.g. an error Alert. */
  footer?: ReactNode;
}

export function ConfirmModal({
  opened,
  onClose,
  title,
  children,
  confirmLabel,
  onConfirm,
  loading,
  danger,
  footer,
}: ConfirmModalProps) {
  return (
    <AppModal opened={opened} onClose={onClose} title={<Text fw={600}>{title}</Text>}>
      <Stack gap="md">
        {children}
        {footer}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={danger ? 'red' : undefined} loading={loading} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}
