import { Button } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { Empty } from '../common/states';

/** What a signed-out reader sees for documentation that is not public (or does not exist). */
export function SignInToRead() {
  const location = useLocation();
  const next = encodeURIComponent(`${location.pathname}${location.search}`);
  return (
    <Empty
      icon={<IconLock size={28} />}
      title="Sign in to read this documentation"
      description="This product's documentation is for signed-in developers, or it does not exist."
      actions={
        <>
          <Button component={Link} to={`/signin?next=${next}`}>
            Sign in
          </Button>
          <Button component={Link} to="/docs" variant="default">
            Public documentation
          </Button>
        </>
      }
    />
  );
}
