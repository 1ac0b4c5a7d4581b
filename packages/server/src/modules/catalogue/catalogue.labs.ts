import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { badInput, conflict, notFound } from '../../errors.js';
import { fields, parseInput } from '../../graphql/validation.js';
import { recordAudit } from '../../audit/record.js';
import { requireViewer } from '../../auth/permissions.js';
import { publish } from '../../events/events.service.js';
import { User } from '../accounts/accounts.entity.js';
import { notify } from '../notifications/notifications.service.js';
import { ApiProduct, ApprovalMode } from '../products/products.entity.js';
import { findLiveProduct } from '../products/products.service.js';
import { settingsOf, viewerIsStaff } from './catalogue.access.js';
import { LABS_PATH } from './catalogue.changelog.js';
import { catalogueSettingsForUpdate } from './catalogue.documents.js';
import { FeedbackStatus, LabsFeedback } from './catalogue.entity.js';
import { HTTP_METHODS } from './catalogue.openapi.js';
import type {
  AnswerLabsFeedbackInput,
  CloseLabsFeedbackInput,
  SendLabsFeedbackInput,
  UpdateProductCatalogueInput,
} from './catalogue.types.js';

const METHODS = HTTP_METHODS.map((method) => method.toUpperCase());

/**
 * Staff change a product's catalogue settings: public docs, and Labs. Marking a product Labs
 * makes requests for it approved at once (AUTO) unless `labsApprovalMode` says otherwise, so
 * any approved developer can try it.
 */
export async function updateProductCatalogue(
  ctx: Context,
  input: UpdateProductCatalogueInput,
): Promise<ApiProduct> {
  return ctx.em.transactional(async (em) => {
    const product = await em.findOne(
      ApiProduct,
      { id: input.productId, archivedAt: null },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!product) throw notFound('Product', 'productId');
    const settings = await catalogueSettingsForUpdate(em, product.id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (typeof input.docsPublic === 'boolean' && input.docsPublic !== settings.docsPublic) {
      changes.docsPublic = { from: settings.docsPublic, to: input.docsPublic };
      settings.docsPublic = input.docsPublic;
    }
    if (typeof input.labs === 'boolean' && input.labs !== settings.labs) {
      changes.labs = { from: settings.labs, to: input.labs };
      settings.labs = input.labs;
    }
    if (input.labs === true) {
      const mode = input.labsApprovalMode ?? ApprovalMode.AUTO;
      if (mode === ApprovalMode.CONDITIONAL && product.approvalMode !== ApprovalMode.CONDITIONAL) {
        throw badInput(
          'labsApprovalMode',
          'Set the conditions with updateProduct first; a Labs product can be AUTO or MANUAL here.',
        );
      }
      if (mode !== product.approvalMode) {
        changes.approvalMode = { from: product.approvalMode, to: mode };
        product.approvalMode = mode;
        product.approvalRules = {};
        await publish(em, 'catalog.changed', { subjectId: product.id, change: 'product.update' });
      }
    }
    if (Object.keys(changes).length) {
      recordAudit(em, ctx, {
        organizationId: null,
        action: 'catalogue.settings.update',
        targetType: 'ApiProduct',
        targetId: product.id,
        data: { name: product.name, changes },
      });
    }
    return product;
  });
}

/** Live Labs products, by name. */
export async function listLabsProducts(ctx: Context): Promise<ApiProduct[]> {
  return ctx.em.find(
    ApiProduct,
    { archivedAt: null, id: { $in: await labsProductIds(ctx) } },
    { orderBy: { name: 'asc', id: 'asc' } },
  );
}

async function labsProductIds(ctx: Context): Promise<string[]> {
  const rows = await ctx.em
    .getConnection()
    .execute<{ product_id: string }[]>('select product_id from product_catalogue where labs');
  return rows.map((row) => row.product_id);
}

const FeedbackSchema = z.object({
  productId: z.string(),
  rating: z
    .number()
    .int('Rating is a whole number.')
    .min(1, 'Rating is 1 to 5.')
    .max(5, 'Rating is 1 to 5.'),
  text: fields
    .text('Text')
    .min(1, 'Text is required.')
    .max(5000, 'Text must be at most 5,000 characters.'),
  endpointMethod: fields
    .line('Endpoint method')
    .transform((value) => value.toUpperCase())
    .refine(
      (value) => METHODS.includes(value),
      `Endpoint method must be one of ${METHODS.join(', ')}.`,
    )
    .nullish(),
  endpointPath: fields
    .line('Endpoint path')
    .max(2000, 'Endpoint path is too long.')
    .regex(/^\//, 'Endpoint path starts with /.')
    .nullish(),
});

/** A signed-in developer sends feedback on a Labs product. */
export async function sendLabsFeedback(
  ctx: Context,
  input: SendLabsFeedbackInput,
): Promise<LabsFeedback> {
  const viewer = requireViewer(ctx);
  const data = parseInput(FeedbackSchema, input);
  if (Boolean(data.endpointMethod) !== Boolean(data.endpointPath)) {
    throw badInput(
      data.endpointMethod ? 'endpointPath' : 'endpointMethod',
      'Give both the endpoint method and path, or neither.',
    );
  }
  return ctx.em.transactional(async (em) => {
    const product = await findLiveProduct(em, data.productId);
    const settings = await settingsOf(ctx, product.id);
    if (!settings?.labs)
      throw conflict('productId', 'Feedback is collected for Labs products only.');
    const feedback = new LabsFeedback({
      product: em.getReference(ApiProduct, product.id, { wrapped: true }),
      author: em.getReference(User, viewer.user.id, { wrapped: true }),
      rating: data.rating,
      text: data.text,
    });
    feedback.endpointMethod = data.endpointMethod ?? null;
    feedback.endpointPath = data.endpointPath ?? null;
    em.persist(feedback);
    return feedback;
  });
}

const AnswerSchema = z.object({
  feedbackId: z.string(),
  answer: fields
    .text('Answer')
    .min(1, 'Answer is required.')
    .max(5000, 'Answer must be at most 5,000 characters.'),
  close: z.boolean().nullish(),
});

/** Staff answer feedback (and may close it); its author is told in-app and by email. */
export async function answerLabsFeedback(
  ctx: Context,
  input: AnswerLabsFeedbackInput,
): Promise<LabsFeedback> {
  const viewer = requireViewer(ctx);
  const data = parseInput(AnswerSchema, input);
  return ctx.em.transactional(async (em) => {
    const feedback = await em.findOne(
      LabsFeedback,
      { id: data.feedbackId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!feedback) throw notFound('Feedback', 'feedbackId');
    if (feedback.status === FeedbackStatus.CLOSED) {
      throw conflict('feedbackId', 'This feedback is closed.');
    }
    const now = new Date();
    feedback.answer = data.answer;
    feedback.answeredAt = now;
    feedback.answeredBy = em.getReference(User, viewer.user.id, { wrapped: true });
    feedback.status = data.close ? FeedbackStatus.CLOSED : FeedbackStatus.ANSWERED;
    if (data.close) feedback.closedAt = now;
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'catalogue.feedback.answer',
      targetType: 'LabsFeedback',
      targetId: feedback.id,
      data: { productId: feedback.product.id, closed: Boolean(data.close) },
    });
    const product = await em.findOneOrFail(ApiProduct, { id: feedback.product.id });
    await notify(em, ctx, {
      userId: feedback.author.id,
      kind: 'catalogue.feedback.answered',
      title: `Portal staff answered your feedback on ${product.name}`,
      body: [`Your feedback: ${feedback.text}`, '', `Answer: ${data.answer}`].join('\n'),
      link: LABS_PATH,
    });
    return feedback;
  });
}

/** Staff close feedback. */
export async function closeLabsFeedback(
  ctx: Context,
  input: CloseLabsFeedbackInput,
): Promise<LabsFeedback> {
  return ctx.em.transactional(async (em) => {
    const feedback = await em.findOne(
      LabsFeedback,
      { id: input.feedbackId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!feedback) throw notFound('Feedback', 'feedbackId');
    if (feedback.status === FeedbackStatus.CLOSED) {
      throw conflict('feedbackId', 'This feedback is already closed.');
    }
    feedback.status = FeedbackStatus.CLOSED;
    feedback.closedAt = new Date();
    recordAudit(em, ctx, {
      organizationId: null,
      action: 'catalogue.feedback.close',
      targetType: 'LabsFeedback',
      targetId: feedback.id,
      data: { productId: feedback.product.id },
    });
    return feedback;
  });
}

/** Feedback the viewer may read, newest first: staff read all, developers their own. */
export async function listLabsFeedback(
  ctx: Context,
  productId: string | null,
  status: FeedbackStatus | null,
): Promise<LabsFeedback[]> {
  const viewer = requireViewer(ctx);
  return ctx.em.find(
    LabsFeedback,
    {
      ...(viewerIsStaff(ctx) ? {} : { author: viewer.user.id }),
      ...(productId ? { product: productId } : {}),
      ...(status ? { status } : {}),
    },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 500 },
  );
}

/** Feedback by id (for `node`), if the viewer may read it. */
export async function findLabsFeedback(ctx: Context, id: string): Promise<LabsFeedback | null> {
  if (!ctx.viewer) return null;
  const feedback = await ctx.em.findOne(LabsFeedback, { id });
  if (!feedback) return null;
  return viewerIsStaff(ctx) || feedback.author.id === ctx.viewer.user.id ? feedback : null;
}
