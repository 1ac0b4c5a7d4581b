import { ActionIcon, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

interface CopyIdProps {
  value: string;
  /** What is copied, for the button's accessible name ("Copy app id"). */
  label?: string;
  size?: 'xs' | 'sm';
}

/** A monospace id with a copy button. */
export function CopyId({ value, label = 'id', size = 'xs' }: CopyIdProps) {
  return (
    <Group gap={4} wrap="nowrap">
      <Text className="portico-mono" size={size} c="dimmed" title={value} truncate>
        {value}
      </Text>
      <CopyValueButton value={value} label={`Copy ${label}`} />
    </Group>
  );
}

export function CopyValueButton({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : label}>
          <ActionIcon
            variant="subtle"
            color={copied ? 'teal' : 'gray'}
            size="sm"
            onClick={copy}
            aria-label={label}
          >
            {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}
