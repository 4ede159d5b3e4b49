/** The ledger's configurable limits; every one is disclosed or documented where it applies. */
export interface LedgerPolicy {
  /** How far back a purchase may be recorded (a backdated purchase must not pick an older rule). */
  purchaseWindowDays: number;
  /** The most green points one order earns, whatever its lines say. */
  greenPointsPerOrderCap: number;
  /** Days that compensation points (a cancelled redemption) stay valid. */
  compensationValidityDays: number;
  /** A hold older than this with no answer from the merchants subgraph is resolved by the recovery pass. */
  holdRecoveryAfterMs: number;
}

export const DEFAULT_POLICY: LedgerPolicy = {
  purchaseWindowDays: 7,
  greenPointsPerOrderCap: 2_000,
  compensationValidityDays: 365,
  holdRecoveryAfterMs: 30_000,
};
