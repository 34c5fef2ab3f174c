//! The gateway's audits: re-embedding a random share of the answers it relayed, and the ledger
//! of organic work the validator worker folds into its scores.
//!
//! 1. Every relayed answer counts as served for its miner.
//! 2. When the subnet's `audit_rate` is above 0 and the node holds the model, the answer waits
//!    in memory (inputs, quantized outputs, receipt; at most [`MAX_PENDING`] answers and
//!    [`MAX_PENDING_BYTES`], never on disk) until the block [`AUDIT_DELAY`] after the gateway's
//!    best block *at relay time* exists. (Not the receipt's block, which the miner chooses.)
//! 3. That block's hash draws the audit ([`audit_drawn`]): it did not exist when the miner
//!    answered, so the miner cannot know which answers will be checked.
//! 4. A drawn answer is re-embedded with the node's own copy of the model; it passes if every
//!    input's cosine to the miner's answer reaches the task's threshold τ.
//! 5. A failure routes the miner away at once ([`Router::audit_failed`]).
//! 6. Counts go to the ledger in off-chain storage
//!    (`pallet_inference::offchain::audits`), merged with compare-and-set.
//!
//! A gateway without the model (not a validator) counts what it serves but audits nothing.

use std::{collections::VecDeque, sync::Mutex, time::Instant};

use codec::{Decode, Encode};
use myelin_inference_engine::registry::ModelRegistry;
use myelin_primitives::{
	receipt::{audit_drawn, SignedReceipt, AUDIT_DELAY},
	AccountId, NetUid,
};
use pallet_inference::offchain::audits::{ledger_key, merge, AuditTally};
use sp_core::offchain::OffchainStorage;
use std::sync::Arc;

use super::{chain::ChainView, metrics::Metrics, router::Router};

/// Most answers waiting for their draw; beyond it new answers are not queued (a flood of
/// relayed answers cannot push out the ones about to be drawn).
pub const MAX_PENDING: usize = 4096;
/// Most bytes of inputs and outputs waiting for their draw.
pub const MAX_PENDING_BYTES: usize = 256 * 1024 * 1024;

/// A relayed answer waiting for its audit draw.
#[derive(Clone, Debug)]
pub struct Relayed {
	/// The miner's receipt.
	pub receipt: SignedReceipt,
	/// The inputs.
	pub inputs: Vec<String>,
	/// The answer, quantized.
	pub outputs: Vec<Vec<i8>>,
	/// The task's threshold τ (ppm).
	pub threshold: u32,
	/// The task's audit rate (ppm).
	pub rate: u32,
	/// The gateway's best block when it relayed the answer: the draw uses the hash of the block
	/// [`AUDIT_DELAY`] later.
	pub relayed_at: myelin_primitives::BlockNumber,
}

impl Relayed {
	fn bytes(&self) -> usize {
		let inputs: usize = self.inputs.iter().map(String::len).sum();
		let outputs: usize = self.outputs.iter().map(Vec::len).sum();
		inputs.saturating_add(outputs)
	}
}

/// Where the ledger is kept: the node's persistent off-chain storage.
pub trait LedgerStore: Send + Sync {
	/// Adds `tallies` to `netuid`'s ledger.
	fn add(&self, netuid: NetUid, tallies: &[AuditTally<AccountId>]);
}

impl<S: OffchainStorage> LedgerStore for Mutex<S> {
	fn add(&self, netuid: NetUid, tallies: &[AuditTally<AccountId>]) {
		let Ok(mut storage) = self.lock() else { return };
		let key = ledger_key(netuid);
		let prefix = sp_offchain::STORAGE_PREFIX;
		// Compare-and-set until no worker took or changed the ledger in between.
		for _ in 0..16 {
			let old = storage.get(prefix, &key);
			let mut ledger: Vec<AuditTally<AccountId>> = old
				.as_deref()
				.and_then(|raw| Decode::decode(&mut &raw[..]).ok())
				.unwrap_or_default();
			merge(&mut ledger, tallies);
			if storage.compare_and_set(prefix, &key, old.as_deref(), &ledger.encode()) {
				return;
			}
		}
		log::warn!(target: "serving", "audit ledger of subnet {netuid}: write kept racing, dropped");
	}
}

/// No off-chain storage (the node runs without one): counts are dropped.
pub struct NoLedger;

impl LedgerStore for NoLedger {
	fn add(&self, _netuid: NetUid, _tallies: &[AuditTally<AccountId>]) {}
}

/// The gateway's auditor.
pub struct Auditor {
	chain: Arc<dyn ChainView>,
	models: Option<Arc<ModelRegistry>>,
	store: Arc<dyn LedgerStore>,
	pending: Mutex<(VecDeque<Relayed>, usize)>,
	tallies: Mutex<Vec<(NetUid, AuditTally<AccountId>)>>,
}

impl Auditor {
	/// An auditor re-embedding with `models` (none: count only) into `store`.
	pub fn new(
		chain: Arc<dyn ChainView>,
		models: Option<Arc<ModelRegistry>>,
		store: Arc<dyn LedgerStore>,
	) -> Auditor {
		Auditor {
			chain,
			models,
			store,
			pending: Mutex::new((VecDeque::new(), 0)),
			tallies: Mutex::new(Vec::new()),
		}
	}

	fn count(&self, netuid: NetUid, hotkey: &AccountId, served: u32, audited: u32, failed: u32) {
		let mut tallies = self.tallies.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
		let more = AuditTally { hotkey: hotkey.clone(), served, audited, failed };
		match tallies.iter_mut().find(|(n, t)| *n == netuid && t.hotkey == *hotkey) {
			Some((_, tally)) => {
				tally.served = tally.served.saturating_add(served);
				tally.audited = tally.audited.saturating_add(audited);
				tally.failed = tally.failed.saturating_add(failed);
			}
			None => tallies.push((netuid, more)),
		}
	}

	/// Step 1 and 2: counts `relayed` as served and keeps it for its draw.
	pub fn relayed(&self, relayed: Relayed) {
		let receipt = &relayed.receipt.receipt;
		self.count(receipt.netuid, &receipt.miner, 1, 0, 0);
		let held = self.models.as_ref().is_some_and(|m| m.models().contains(&receipt.model));
		if relayed.rate == 0 || !held {
			return;
		}
		let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
		let bytes = relayed.bytes();
		if pending.0.len() >= MAX_PENDING || pending.1.saturating_add(bytes) > MAX_PENDING_BYTES {
			// Full: the answer takes the place of one drawn at random by the gateway (reservoir
			// style), so a flood of large requests cannot keep any answer, a cheat's included,
			// from its chance of an audit.
			let Some(slot) = rand::random::<usize>().checked_rem(pending.0.len()) else { return };
			let freed = pending.0.get(slot).map_or(0, Relayed::bytes);
			let total = pending.1.saturating_sub(freed).saturating_add(bytes);
			if total > MAX_PENDING_BYTES {
				return;
			}
			if let Some(entry) = pending.0.get_mut(slot) {
				*entry = relayed;
				pending.1 = total;
			}
			return;
		}
		pending.1 = pending.1.saturating_add(bytes);
		pending.0.push_back(relayed);
	}

	/// Steps 3 to 6 for every answer whose draw block exists; returns (audited, failed).
	pub fn run_due(&self, router: &Router, metrics: Option<&Metrics>) -> (u32, u32) {
		let (best, _) = self.chain.best();
		let due: Vec<Relayed> = {
			let mut pending =
				self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
			let (due, wait): (Vec<Relayed>, Vec<Relayed>) =
				pending.0.drain(..).partition(|r| r.relayed_at.saturating_add(AUDIT_DELAY) <= best);
			pending.0.extend(wait);
			pending.1 = pending.0.iter().map(Relayed::bytes).sum();
			due
		};
		let (mut audited, mut failed) = (0u32, 0u32);
		for relayed in due {
			let receipt = &relayed.receipt.receipt;
			let Some(hash) = self.chain.hash_at(relayed.relayed_at.saturating_add(AUDIT_DELAY))
			else {
				continue;
			};
			if !audit_drawn(&hash, &receipt.request_id, relayed.rate) {
				continue;
			}
			let Some(passed) = self.reembed_passes(&relayed) else { continue };
			audited = audited.saturating_add(1);
			let fail = u32::from(!passed);
			failed = failed.saturating_add(fail);
			self.count(receipt.netuid, &receipt.miner, 0, 1, fail);
			if let Some(metrics) = metrics {
				metrics.audited(&receipt.miner, passed);
			}
			if !passed {
				router.audit_failed(&receipt.miner, Instant::now());
				log::info!(
					target: "serving",
					"audit failed: miner {} on subnet {} (request {})",
					receipt.miner,
					receipt.netuid,
					hex::encode(receipt.request_id)
				);
			}
		}
		self.flush();
		(audited, failed)
	}

	/// Step 4: whether re-embedding reproduces the answer (`None` if the model cannot run).
	fn reembed_passes(&self, relayed: &Relayed) -> Option<bool> {
		let models = self.models.as_ref()?;
		let (vectors, _) =
			models.embed_floats(relayed.receipt.receipt.model, &relayed.inputs).ok()?;
		let references: Vec<Vec<i8>> =
			vectors.iter().map(|v| myelin_inference_engine::quantize(v)).collect();
		Some(every_cosine_reaches(&relayed.outputs, &references, relayed.threshold))
	}

	/// Step 6: moves the counts to the ledger.
	pub fn flush(&self) {
		let tallies = std::mem::take(
			&mut *self.tallies.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
		);
		let mut netuids: Vec<NetUid> = tallies.iter().map(|(n, _)| *n).collect();
		netuids.sort_unstable();
		netuids.dedup();
		for netuid in netuids {
			let of_subnet: Vec<AuditTally<AccountId>> =
				tallies.iter().filter(|(n, _)| *n == netuid).map(|(_, t)| t.clone()).collect();
			self.store.add(netuid, &of_subnet);
		}
	}
}

/// Whether each output's cosine to its reference reaches `threshold` (ppm), with as many outputs
/// as references: a few wrong vectors in a batch are not averaged away.
pub fn every_cosine_reaches(outputs: &[Vec<i8>], references: &[Vec<i8>], threshold: u32) -> bool {
	outputs.len() == references.len()
		&& outputs.iter().zip(references).all(|(o, r)| {
			pallet_inference::offchain::scoring::cosine_ppm(o, r) >= i64::from(threshold)
		})
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
	use super::*;

	#[test]
	fn one_wrong_vector_fails_a_batch_that_would_pass_on_average() {
		let right = vec![vec![100i8, 0, 0]; 10];
		let mut answer = right.clone();
		assert!(every_cosine_reaches(&answer, &right, 900_000));
		// Nine exact vectors and one orthogonal: mean cosine 0.9, one input at 0.
		answer[9] = vec![0, 100, 0];
		let mean = pallet_inference::offchain::scoring::mean_cosine_ppm(&answer, &right);
		assert!(mean >= 900_000, "{mean}");
		assert!(!every_cosine_reaches(&answer, &right, 900_000));
		// A missing vector fails too.
		assert!(!every_cosine_reaches(&right[..9], &right, 0));
	}
}
