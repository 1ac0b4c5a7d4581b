import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { errorCode, errorMessage, mapServerErrors } from './serverErrors';

function graphQLFailure(...errors: GraphQLFormattedError[]): CombinedGraphQLErrors {
  return new CombinedGraphQLErrors({ data: null, errors });
}

describe('mapServerErrors', () => {
  it('puts an error with extensions.field next to that field', () => {
    const error = graphQLFailure({
      message: 'An app with this name already exists.',
      extensions: { code: 'CONFLICT', field: 'name' },
    });
    expect(mapServerErrors(error, ['name', 'description'])).toEqual({
      fieldErrors: { name: 'An app with this name already exists.' },
      formError: null,
    });
  });

  it('sends errors without a field, or with an unknown field, to the form-level message', () => {
    const error = graphQLFailure(
      { message: 'You are not allowed to do that.', extensions: { code: 'FORBIDDEN' } },
      { message: 'Invitation expired.', extensions: { code: 'BAD_USER_INPUT', field: 'token' } },
    );
    expect(mapServerErrors(error, ['email'])).toEqual({
      fieldErrors: {},
      formError: 'You are not allowed to do that. Invitation expired.',
    });
  });

  it('maps an indexed path to the exact item when the form has it', () => {
    const error = graphQLFailure({
      message: 'Key is required.',
      extensions: { code: 'BAD_USER_INPUT', field: 'attributes.1.key' },
    });
    const fields = ['attributes', 'attributes.0.key', 'attributes.1.key', 'attributes.1.value'];
    expect(mapServerErrors(error, fields).fieldErrors).toEqual({
      'attributes.1.key': 'Key is required.',
    });
  });

  it('maps an indexed path to its list field and names the line', () => {
    const error = graphQLFailure({
      message: 'Callback URLs must use https.',
      extensions: { code: 'BAD_USER_INPUT', field: 'callbackUrls.2' },
    });
    expect(mapServerErrors(error, ['callbackUrls']).fieldErrors).toEqual({
      callbackUrls: 'Line 3: Callback URLs must use https.',
    });
  });

  it('renames server fields through aliases', () => {
    const error = graphQLFailure({
      message: 'Use at least 10 characters.',
      extensions: { code: 'BAD_USER_INPUT', field: 'password' },
    });
    expect(
      mapServerErrors(error, ['newPassword'], { password: 'newPassword' }).fieldErrors,
    ).toEqual({ newPassword: 'Use at least 10 characters.' });
  });

  it('keeps the first error of a field', () => {
    const error = graphQLFailure(
      { message: 'first', extensions: { field: 'name' } },
      { message: 'second', extensions: { field: 'name' } },
    );
    expect(mapServerErrors(error, ['name']).fieldErrors).toEqual({ name: 'first' });
  });

  it('turns network failures into a form-level message', () => {
    const failure = new TypeError('Failed to fetch');
    expect(mapServerErrors(failure, ['name'])).toEqual({
      fieldErrors: {},
      formError: 'Cannot reach the server. Check your connection and try again.',
    });
  });
});

describe('errorMessage and errorCode', () => {
  it('reads GraphQL errors', () => {
    const error = graphQLFailure({
      message: 'Project not found.',
      extensions: { code: 'NOT_FOUND' },
    });
    expect(errorMessage(error)).toBe('Project not found.');
    expect(errorCode(error)).toBe('NOT_FOUND');
  });

  it('describes HTTP failures', () => {
    const error = new ServerError('bad gateway', {
      response: new Response('', { status: 502 }),
      bodyText: '',
    });
    expect(errorMessage(error)).toBe('The server answered 502. Try again.');
    expect(errorCode(error)).toBeNull();
  });

  it('asks to reload a page whose documents the server does not know (another build)', () => {
    const notFound = graphQLFailure({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
    const untrusted = graphQLFailure({
      message: 'This operation is not a registered document of the web app.',
      extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED' },
    });
    const reload = 'Portico was updated since this page was opened. Reload the page.';
    for (const error of [notFound, untrusted]) {
      expect(errorMessage(error)).toBe(reload);
      expect(mapServerErrors(error, ['name'])).toEqual({ fieldErrors: {}, formError: reload });
    }
  });
});
