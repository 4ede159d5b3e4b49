import type { UsersContext } from '../context.ts';
import { usersError } from '../errors.ts';
import { recordConsent, type ConsentKind } from '../operations/consents.ts';
import { callerId } from './profileMutations.ts';

async function answer(ctx: UsersContext, kind: ConsentKind, granted: boolean) {
  const id = callerId(ctx);
  const row = await ctx.loaders.user.load(id);
  if (!row) throw usersError('NOT_REGISTERED', 'Register before answering consents');
  await recordConsent(ctx.db, id, kind, granted, ctx.noticeVersion);
  ctx.loaders.consentHistory.clear(id);
  return ctx.loaders.user.clear(id).load(id);
}

export const consentMutations = {
  grantConsent: (_: unknown, args: { kind: ConsentKind; noticeVersion?: string | null }, ctx: UsersContext) => {
    // A client may say which notice the user read; consent to a notice no longer in force is no consent.
    if (args.noticeVersion != null && args.noticeVersion !== ctx.noticeVersion) {
      throw usersError('NOTICE_OUTDATED', 'The privacy notice has changed: show the current one', { noticeVersion: ctx.noticeVersion });
    }
    return answer(ctx, args.kind, true);
  },
  revokeConsent: (_: unknown, args: { kind: ConsentKind }, ctx: UsersContext) => answer(ctx, args.kind, false),
};
