import { Button } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { Empty } from '../features/common/states';

export function NotFoundPage() {
  return (
    <Empty
      icon={<IconMapOff size={28} />}
      title="Page not found"
      description="The page does not exist, or you do not have access to it."
      actions={
        <Button component={Link} to="/">
          Go to dashboard
        </Button>
      }
    />
  );
}
