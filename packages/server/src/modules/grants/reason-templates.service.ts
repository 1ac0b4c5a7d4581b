import { z } from 'zod';
import type { Context } from '../../context.js';
import { notFound } from '../../errors.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { PlatformRole } from '../../auth/roles.js';
import { recordAudit } from '../../audit/record.js';
import { ReasonTemplate } from './grants.entity.js';
import type {
  CreateReasonTemplateInput,
  DeleteReasonTemplateInput,
  UpdateReasonTemplateInput,
} from './grants.types.js';

const title = fields
  .line('Title')
  .min(1, 'Title is required.')
  .max(100, 'Title must be at most 100 characters.');
const text = fields
  .text('Text')
  .min(1, 'Text is required.')
  .max(2000, 'Text must be at most 2000 characters.');

const CreateSchema = z.object({ title, text });
const UpdateSchema = z.object({
  reasonTemplateId: z.string(),
  title: title.nullish(),
  text: text.nullish(),
});

/** Staff's reusable reasons, by title. */
export async function listReasonTemplates(ctx: Context): Promise<ReasonTemplate[]> {
  return ctx.em.find(ReasonTemplate, {}, { orderBy: { title: 'asc', id: 'asc' } });
}

export async function findReasonTemplate(ctx: Context, id: string): Promise<ReasonTemplate | null> {
  if (ctx.viewer?.user.platformRole !== PlatformRole.STAFF) return null;
  return ctx.em.findOne(ReasonTemplate, { id });
}

export async function createReasonTemplate(
  ctx: Context,
  input: CreateReasonTemplateInput,
): Promise<ReasonTemplate> {
  const data = parseInput(CreateSchema, input);
  return ctx.em.transactional(async (em) => {
    const template = new ReasonTemplate(data.title, data.text);
    em.persist(template);
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'reason_template.create',
      targetType: 'ReasonTemplate',
      targetId: template.id,
      data: { title: template.title },
    });
    return template;
  });
}

export async function updateReasonTemplate(
  ctx: Context,
  input: UpdateReasonTemplateInput,
): Promise<ReasonTemplate> {
  const data = parseInput(UpdateSchema, input);
  return ctx.em.transactional(async (em) => {
    const template = await em.findOne(ReasonTemplate, { id: data.reasonTemplateId });
    if (!template) throw notFound('Reason template', 'reasonTemplateId');
    const changes: string[] = [];
    if (data.title && data.title !== template.title) {
      template.title = data.title;
      changes.push('title');
    }
    if (data.text && data.text !== template.text) {
      template.text = data.text;
      changes.push('text');
    }
    if (changes.length) {
      recordAudit(em, ctx, {
        organizationId: null,
        action: 'reason_template.update',
        targetType: 'ReasonTemplate',
        targetId: template.id,
        data: { title: template.title, changes },
      });
    }
    return template;
  });
}

export async function deleteReasonTemplate(
  ctx: Context,
  input: DeleteReasonTemplateInput,
): Promise<string> {
  return ctx.em.transactional(async (em) => {
    const template = await em.findOne(ReasonTemplate, { id: input.reasonTemplateId });
    if (!template) throw notFound('Reason template', 'reasonTemplateId');
    em.remove(template);
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'reason_template.delete',
      targetType: 'ReasonTemplate',
      targetId: template.id,
      data: { title: template.title },
    });
    return template.id;
  });
}
