import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useForm } from '@mantine/form';
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useServerErrors } from './useServerErrors';

function useTestForm() {
  const form = useForm({
    initialValues: { name: '', attributes: [{ key: 'a', value: '1' }] },
  });
  const server = useServerErrors(form);
  return { form, server };
}

describe('useServerErrors', () => {
  it('sets field errors on the form, including nested paths, and the rest as formError', () => {
    const { result } = renderHook(() => useTestForm());
    const failure = new CombinedGraphQLErrors({
      data: null,
      errors: [
        { message: 'Name taken.', extensions: { code: 'CONFLICT', field: 'name' } },
        { message: 'Bad key.', extensions: { code: 'BAD_USER_INPUT', field: 'attributes.0.key' } },
        { message: 'Not allowed.', extensions: { code: 'FORBIDDEN' } },
      ],
    });
    act(() => result.current.server.apply(failure));
    expect(result.current.form.errors).toEqual({
      name: 'Name taken.',
      'attributes.0.key': 'Bad key.',
    });
    expect(result.current.server.formError).toBe('Not allowed.');

    act(() => result.current.server.clear());
    expect(result.current.form.errors).toEqual({});
    expect(result.current.server.formError).toBeNull();
  });
});
