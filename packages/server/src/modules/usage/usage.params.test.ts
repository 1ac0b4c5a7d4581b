import { describe, expect, it } from 'vitest';
import { pgParams, SqlExpression } from './usage.read.js';

describe('$n placeholders', () => {
  it('number values in order, after an offset, and leave SQL expressions in place', () => {
    const { params, p } = pgParams(2);
    expect([p('a'), p(new SqlExpression('now()')), p(5)]).toEqual(['$3', 'now()', '$4']);
    expect(params).toEqual(['a', 5]);
  });

  it('send a list given again once, and an equal but other list apart', () => {
    const { params, p } = pgParams();
    const ids = ['app_1', 'app_2'];
    expect([p(ids), p(new Date(0)), p(ids), p([...ids])]).toEqual(['$1', '$2', '$1', '$3']);
    expect(params).toEqual([ids, new Date(0), ids]);
  });
});
