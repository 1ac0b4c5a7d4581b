import { describe, expect, it } from 'vitest';
import { isPermissionLevel, orNull, parseLines, projectOptions, STANDALONE } from './appFields';

describe('app form fields', () => {
  it('reads callback URLs one per line, ignoring blank lines', () => {
    expect(parseLines(' https://a.example/cb \n\n http://localhost:3000/cb\n')).toEqual([
      'https://a.example/cb',
      'http://localhost:3000/cb',
    ]);
  });

  it('sends empty optional fields as null', () => {
    expect(orNull('  ')).toBeNull();
    expect(orNull(' https://x.example ')).toBe('https://x.example');
  });

  it('offers standalone first', () => {
    expect(projectOptions([{ id: 'prj_1', name: 'Research' }])).toEqual([
      { value: STANDALONE, label: 'Standalone (no project)' },
      { value: 'prj_1', label: 'Research' },
    ]);
  });

  it('recognises permission levels', () => {
    expect(isPermissionLevel('READ_WRITE')).toBe(true);
    expect(isPermissionLevel('ADMIN')).toBe(false);
  });
});
