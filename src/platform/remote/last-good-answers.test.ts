import { describe, expect, it } from 'vitest';
import { LastGoodAnswers } from './last-good-answers.js';

describe('last good answers', () => {
  it('recalls what was remembered, including an undefined answer, and nothing else', () => {
    const answers = new LastGoodAnswers(10);
    answers.remember('a', [{ id: 'a' }]);
    answers.remember('void', undefined);
    expect(answers.recall('a')).toEqual({ answer: [{ id: 'a' }] });
    expect(answers.recall('void')).toEqual({ answer: undefined });
    expect(answers.recall('b')).toBeUndefined();
  });

  it('forgets the least recently written answer once full', () => {
    const answers = new LastGoodAnswers(2);
    answers.remember('a', 1);
    answers.remember('b', 2);
    answers.remember('a', 3); // rewritten: now the newest
    answers.remember('c', 4);
    expect(answers.size).toBe(2);
    expect(answers.recall('b')).toBeUndefined();
    expect(answers.recall('a')).toEqual({ answer: 3 });
    expect(answers.recall('c')).toEqual({ answer: 4 });
  });

  it('hands out copies, so one caller editing its answer cannot change the next one', () => {
    const answers = new LastGoodAnswers(2);
    const original = { names: ['a'] };
    answers.remember('k', original);
    original.names.push('edited before recall');
    const first = answers.recall('k')!.answer as { names: string[] };
    first.names.push('edited after recall');
    expect(answers.recall('k')).toEqual({ answer: { names: ['a'] } });
  });
});
