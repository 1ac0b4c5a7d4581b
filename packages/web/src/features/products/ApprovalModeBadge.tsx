import { Badge, Tooltip } from '@mantine/core';
import type { ApprovalMode } from '../../gql/graphql';
import { approvalModeColors, approvalModeDescriptions, approvalModeLabels } from './productFormat';

export function ApprovalModeBadge({ mode }: { mode: ApprovalMode }) {
  return (
    <Tooltip label={approvalModeDescriptions[mode]}>
      <Badge variant="light" color={approvalModeColors[mode]} size="sm">
        {approvalModeLabels[mode]}
      </Badge>
    </Tooltip>
  );
}
