import { z } from 'zod';
import { fields } from '../../graphql/validation.js';
import { ApplicationDecision } from './applications.types.js';

export const USE_CASE_MIN = 50;
export const USE_CASE_MAX = 5000;
export const USE_CASE_MIN_WORDS = 8;

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

export const ApplySchema = z.object({
  useCase: fields
    .text('The use case')
    .min(USE_CASE_MIN, `Describe your use case in detail: at least ${USE_CASE_MIN} characters.`)
    .max(USE_CASE_MAX, `The use case must be at most ${USE_CASE_MAX} characters.`)
    .refine(
      (text) => words(text) >= USE_CASE_MIN_WORDS,
      `Describe your use case in detail: at least ${USE_CASE_MIN_WORDS} words.`,
    ),
  companyName: fields
    .line('The company name')
    .max(200, 'The company name must be at most 200 characters.')
    .nullish()
    .transform((value) => (value ? value : null)),
});

const body = fields
  .text('The message', 'Write a message.')
  .min(1, 'Write a message.')
  .max(5000, 'The message must be at most 5000 characters.');

export const MessageSchema = z.object({ applicationId: z.string(), body });

export const DecideSchema = z
  .object({
    applicationId: z.string(),
    decision: z.enum(ApplicationDecision),
    reason: fields
      .text('The reason')
      .max(2000, 'The reason must be at most 2000 characters.')
      .nullish()
      .transform((value) => (value ? value : null)),
  })
  .refine((input) => input.decision !== ApplicationDecision.REJECT || input.reason !== null, {
    path: ['reason'],
    message: 'Give the applicant a reason for the rejection.',
  });
