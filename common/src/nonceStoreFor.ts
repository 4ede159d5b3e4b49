import { redisNonceStore } from './redisNonceStore.ts';
import { memoryNonceStore, type NonceStore } from './signing.ts';

/** Redis when configured (replicas share nonces), this process's memory otherwise. */
export const nonceStoreFor = (redisUrl: string | undefined): NonceStore => (redisUrl ? redisNonceStore(redisUrl) : memoryNonceStore());
