//! `myelin_inferenceRounds`: a subnet's kept inference rounds with every miner's commit and
//! reveal, and whether each reveal passes the validators' test, recomputed by this node.
//!
//! What it costs is bounded whatever the subnet's size or the callers' number:
//! - one listing runs at a time, and its result is kept for the block and subnet it answered
//!   ([`LISTINGS_CACHED`]), so every viewer of a subnet costs one listing per block between
//!   them: each kept submission read once (up to 3 rounds of 4096, up to 16 KiB each);
//! - at most [`SCORED_PER_CALL`] reveals are scored per listing, and at most
//!   [`EMBEDDINGS_PER_SECOND`] challenge inputs embedded a second for all callers, taken only
//!   once the node knows it has the model; like validators, only registered hotkeys are scored;
//! - a score is kept ([`SCORES_CACHED`], oldest dropped first) under the round's seed, so a
//!   reveal is embedded once, and a netuid reused after dissolution never sees old scores.
//!
//! A reveal left unscored (no model here, or over the budget) has `similarity` and `passed` null;
//! a later block's listing scores it. A panic in the model is the call's error, not the node's
//! end; a failing database still ends the node, as it does for block import.

use std::{
	collections::{HashMap, VecDeque},
	sync::{Arc, Mutex},
};

use myelin_inference::host::InferenceHost;
use myelin_primitives::{
	inference::{RoundInfo, PPM},
	AccountId, BlockNumber, NetUid,
};
use myelin_runtime::Runtime;
use serde_json::{json, Value};
use sp_core::H256;

use super::{json::address, rate_limit::RateLimiter};

/// Scores remembered; the oldest is dropped first.
pub const SCORES_CACHED: usize = 16_384;
/// Reveals scored by one listing at most.
pub const SCORED_PER_CALL: usize = 16;
/// Listings kept, by block and subnet.
pub const LISTINGS_CACHED: usize = 8;
/// Challenge inputs this node embeds per second for the view, across all callers…
pub const EMBEDDINGS_PER_SECOND: u32 = 32;
/// …and in a burst (at least one reveal's worth: `MaxInputs` is 16).
pub const EMBEDDING_BURST: u32 = 128;

/// A cached score's key: a round is named by its seed, unique across a netuid's reuse.
type ScoreKey = (NetUid, [u8; 32], AccountId);

/// A submission as listed.
struct Listed {
	hotkey: AccountId,
	uid: Option<u16>,
	commit_block: BlockNumber,
	revealed: bool,
	/// The outputs, when this listing scores them.
	outputs: Option<Vec<Vec<i8>>>,
}

/// A kept round and its submissions.
pub struct KeptRound {
	round: RoundInfo,
	submissions: Vec<Listed>,
}

/// Lists rounds and scores reveals with the node's model, within the budgets above.
pub struct Scorer {
	models: Option<Arc<dyn InferenceHost>>,
	cache: Mutex<(HashMap<ScoreKey, i64>, VecDeque<ScoreKey>)>,
	embeddings: RateLimiter,
	/// The last listings, newest last; locked for the whole of a listing, so one runs at a time.
	listings: Mutex<VecDeque<((H256, NetUid), Value)>>,
}

impl Scorer {
	/// Scores with `models` (none: nothing is scored).
	pub fn new(models: Option<Arc<dyn InferenceHost>>) -> Self {
		Self {
			models,
			cache: Mutex::new((HashMap::new(), VecDeque::new())),
			embeddings: RateLimiter::new(EMBEDDINGS_PER_SECOND, EMBEDDING_BURST),
			listings: Mutex::new(VecDeque::new()),
		}
	}

	/// Whether this node can score reveals.
	pub fn has_model(&self) -> bool {
		self.models.is_some()
	}

	fn cached(&self, key: &ScoreKey) -> Option<i64> {
		self.cache.lock().ok()?.0.get(key).copied()
	}

	fn remember(&self, key: ScoreKey, cosine: i64) {
		let Ok(mut cache) = self.cache.lock() else { return };
		let (scores, order) = &mut *cache;
		if scores.insert(key.clone(), cosine).is_none() {
			order.push_back(key);
		}
		while order.len() > SCORES_CACHED {
			if let Some(oldest) = order.pop_front() {
				scores.remove(&oldest);
			}
		}
	}

	/// The listing of `netuid` at block `hash`: kept from an earlier call at the same block, or
	/// made now with `read`, which runs [`Scorer::read_rounds`] in that block's state (`None`:
	/// no such subnet).
	pub fn listing<E>(
		&self,
		hash: H256,
		netuid: NetUid,
		read: impl FnOnce() -> Result<Option<Vec<KeptRound>>, E>,
	) -> Result<Option<Value>, E> {
		// (A poisoned lock only means an earlier listing panicked; the kept listings stay valid.)
		let mut listings = self.listings.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
		if let Some((_, value)) = listings.iter().find(|(key, _)| *key == (hash, netuid)) {
			return Ok(Some(value.clone()));
		}
		let Some(rounds) = read()? else { return Ok(None) };
		let rounds: Vec<Value> = rounds.into_iter().map(|r| self.round_json(netuid, r)).collect();
		let value =
			json!({ "netuid": netuid, "modelAvailable": self.has_model(), "rounds": rounds });
		listings.push_back(((hash, netuid), value.clone()));
		while listings.len() > LISTINGS_CACHED {
			listings.pop_front();
		}
		Ok(Some(value))
	}

	/// The kept rounds of `netuid`, newest first, read from the current externalities: each
	/// submission listed, with the outputs of up to [`SCORED_PER_CALL`] unscored reveals of
	/// registered hotkeys.
	pub fn read_rounds(&self, netuid: NetUid) -> Vec<KeptRound> {
		let mut to_score = if self.has_model() { SCORED_PER_CALL } else { 0 };
		let mut rounds: Vec<RoundInfo> =
			pallet_inference::Rounds::<Runtime>::iter_prefix_values(netuid).collect();
		rounds.sort_by_key(|round| std::cmp::Reverse(round.index));
		rounds
			.into_iter()
			.map(|round| {
				let prefix = (netuid, round.index);
				let submissions = pallet_inference::Submissions::<Runtime>::iter_prefix(prefix)
					.map(|(hotkey, submission)| {
						let uid = pallet_subnets::Uids::<Runtime>::get(netuid, &hotkey);
						let key = (netuid, round.seed, hotkey.clone());
						let wanted = submission.revealed
							&& uid.is_some() && to_score > 0
							&& self.cached(&key).is_none();
						let outputs = wanted.then(|| {
							to_score = to_score.saturating_sub(1);
							submission.outputs.iter().map(|o| o.to_vec()).collect()
						});
						Listed {
							hotkey,
							uid,
							commit_block: submission.commit_block,
							revealed: submission.revealed,
							outputs,
						}
					})
					.collect();
				KeptRound { round, submissions }
			})
			.collect()
	}

	/// The JSON of `kept`, scoring the reveals whose outputs were read.
	fn round_json(&self, netuid: NetUid, kept: KeptRound) -> Value {
		let KeptRound { round, submissions } = kept;
		let spec = &round.spec;
		let submissions: Vec<Value> = submissions
			.into_iter()
			.map(|listed| {
				let key = (netuid, round.seed, listed.hotkey.clone());
				let cosine = match (&listed.outputs, self.cached(&key)) {
					(_, Some(cached)) => Some(cached),
					(Some(outputs), None) => self
						.score(&round, &listed.hotkey, outputs)
						.inspect(|&c| self.remember(key, c)),
					(None, None) => None,
				};
				json!({
					"hotkey": address(&listed.hotkey),
					"uid": listed.uid,
					"commitBlock": listed.commit_block,
					"revealed": listed.revealed,
					"similarity": cosine.map(|c| c as f64 / f64::from(PPM)),
					"passed": cosine.map(|c| c >= i64::from(spec.score_threshold)),
				})
			})
			.collect();
		json!({
			"index": round.index,
			"start": round.start,
			"seed": format!("0x{}", hex::encode(round.seed)),
			"commitUntil": spec.commit_end(round.start),
			"revealUntil": spec.reveal_end(round.start),
			"scoreThreshold": f64::from(spec.score_threshold) / f64::from(PPM),
			"submissions": submissions,
		})
	}

	/// The mean cosine (ppm) of `outputs` to this node's own answers to `hotkey`'s challenge, as
	/// a validator scores it (`pallet_inference::offchain::scoring`); `None` without the model
	/// or past the embedding budget.
	fn score(&self, round: &RoundInfo, hotkey: &AccountId, outputs: &[Vec<i8>]) -> Option<i64> {
		let models = self.models.as_ref()?;
		let spec = &round.spec;
		let seed = pallet_inference::challenge_seed(&round.seed, hotkey);
		let _unwind = sp_panic_handler::AbortGuard::force_unwind();
		std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
			let inputs =
				models.challenge_inputs(spec.model, seed, u32::from(spec.inputs_per_round)).ok()?;
			let count = u32::try_from(inputs.len()).unwrap_or(u32::MAX);
			if !self.embeddings.try_acquire_many(count) {
				return None;
			}
			let references = models.embed(spec.model, inputs).ok()?;
			Some(pallet_inference::offchain::scoring::mean_cosine_ppm(outputs, &references))
		}))
		.ok()
		.flatten()
	}
}
