/**
 * Example: a partner reads a member's balance, which it may do only while the member lets partners
 * see their profile (PARTNER_SHARING consent, given and revocable by the member in the consumer app).
 *
 *   GREENPOINTS_TOKEN=$(npm run -s token -- --role partner --partner-id acme | tail -1) \
 *     npm run example:balance -w partner-client -- <member id>
 */
import { pathToFileURL } from 'node:url';
import { createPartnerClient, PartnerClientError, type PartnerClient } from '../client.ts';
import { MemberBalanceDocument, type MemberBalanceQuery } from '../gql/graphql.ts';

export type MemberBalance = NonNullable<NonNullable<MemberBalanceQuery['user']>['partnerBalance']> & { displayName: string | null };

/** The member's balance; null when they have not granted PARTNER_SHARING (or no longer do), or do not exist. */
export async function readMemberBalance(client: PartnerClient, userId: string): Promise<MemberBalance | null> {
  try {
    const { user } = await client.request(MemberBalanceDocument, { userId });
    return user?.partnerBalance ? { ...user.partnerBalance, displayName: user.displayName } : null;
  } catch (err) {
    if (err instanceof PartnerClientError && err.code === 'CONSENT_REQUIRED') return null;
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env['GREENPOINTS_URL'] ?? 'http://127.0.0.1:4000/graphql';
  const token = process.env['GREENPOINTS_TOKEN'];
  const userId = process.argv[2];
  if (!token || !userId) {
    console.error('Usage: GREENPOINTS_TOKEN=<partner token> npm run example:balance -w partner-client -- <member id>');
    process.exit(2);
  }
  const balance = await readMemberBalance(createPartnerClient({ url, token }), userId);
  console.log(balance ? `${balance.displayName}: ${balance.points} points (${balance.pendingPoints} pending), ${balance.greenPoints} green points` : 'No consent to share with partners (PARTNER_SHARING), or no such member');
}
