//! Organic work, as the node's gateway saw it: what each miner served and how its audits went.
//!
//! A node serving the embeddings API as a gateway (see the node's `--gateway`) counts, per
//! subnet and miner hotkey, the answers it relayed and, for the share the subnet's
//! `audit_rate` draws, whether re-embedding the inputs reproduced the signed answer. It adds
//! those counts to a ledger in the node's persistent off-chain storage ([`ledger_key`]); the
//! validator worker takes the whole ledger when it applies a round's scores
//! ([`take`]) and folds it into each miner's score ([`super::scoring::with_organic`]). Both
//! sides write with compare-and-set, so no count is lost or counted twice.

use alloc::vec::Vec;
use codec::{Decode, Encode};
use myelin_primitives::NetUid;
use sp_runtime::offchain::storage::StorageValueRef;

use super::storage_key;

/// One miner's organic record since the ledger was last taken.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct AuditTally<AccountId> {
	/// The miner's hotkey.
	pub hotkey: AccountId,
	/// Answers relayed (valid receipts, the right shape).
	pub served: u32,
	/// Of those, answers audited.
	pub audited: u32,
	/// Of those, answers whose re-embedding fell below the subnet's threshold.
	pub failed: u32,
}

/// The ledger's off-chain storage key for `netuid`.
pub fn ledger_key(netuid: NetUid) -> Vec<u8> {
	storage_key(&[b"audits", &netuid.to_le_bytes()])
}

/// Adds `more` to `ledger`, miner by miner (counts saturate).
pub fn merge<AccountId: PartialEq + Clone>(
	ledger: &mut Vec<AuditTally<AccountId>>,
	more: &[AuditTally<AccountId>],
) {
	for tally in more {
		match ledger.iter_mut().find(|t| t.hotkey == tally.hotkey) {
			Some(entry) => {
				entry.served = entry.served.saturating_add(tally.served);
				entry.audited = entry.audited.saturating_add(tally.audited);
				entry.failed = entry.failed.saturating_add(tally.failed);
			}
			None => ledger.push(tally.clone()),
		}
	}
}

/// Takes `netuid`'s ledger, leaving it empty (compare-and-set: a gateway adding at the same
/// time either lands before, and is taken, or retries after, and waits for the next round).
pub fn take<AccountId: Decode + Encode>(netuid: NetUid) -> Vec<AuditTally<AccountId>> {
	let key = ledger_key(netuid);
	let entry = StorageValueRef::persistent(&key);
	let mut taken = Vec::new();
	let result = entry.mutate(|old: Result<Option<Vec<AuditTally<AccountId>>>, _>| {
		taken = match old {
			Ok(Some(ledger)) => ledger,
			// Unreadable (another encoding): dropped rather than kept forever.
			_ => Vec::new(),
		};
		Ok::<_, ()>(Vec::<AuditTally<AccountId>>::new())
	});
	if result.is_err() {
		// Lost the race with a gateway's write: nothing was taken.
		return Vec::new();
	}
	taken
}
