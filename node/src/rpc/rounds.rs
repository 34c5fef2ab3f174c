//! `myelin_inferenceRounds`: a subnet's kept inference rounds with every miner's commit and
//! reveal, and whether each reveal passes the validators' test, recomputed by this node.
//!
//! What it costs is bounded whatever the subnet's size or the callers' number:
//! - a submission is listed from its first bytes and its last (`sp_io::storage::read` at an
//!   offset), never its outputs, so a full round (4096 reveals of up to 16 KiB) is a few
//!   hundred KiB of reads, not 64 MiB;
//! - a reveal's outputs are read only to score it, at most [`SCORED_PER_CALL`] per call, by one
//!   call at a time, within [`EMBEDDINGS_PER_SECOND`] model runs a second for all callers;
//! - a score is kept ([`SCORES_CACHED`], oldest dropped first) under the round's seed, so a
//!   reveal is embedded once, and a netuid reused after dissolution never sees old scores.
//!
//! A reveal left unscored (no model here, or over the budget) has `similarity` and `passed` null;
//! a later call scores it.

use std::{
	collections::{HashMap, VecDeque},
	sync::{Arc, Mutex},
};

use codec::Decode;
use myelin_inference::host::InferenceHost;
use myelin_primitives::{
	inference::{RoundInfo, PPM},
	AccountId, BlockNumber, NetUid,
};
use myelin_runtime::Runtime;
use serde_json::{json, Value};

use super::{json::address, rate_limit::RateLimiter};

/// Scores remembered; the oldest is dropped first.
pub const SCORES_CACHED: usize = 16_384;
/// Reveals scored by one call at most (each reads up to 16 KiB of outputs).
pub const SCORED_PER_CALL: usize = 16;
/// Challenge inputs this node embeds per second for the view, across all callers…
pub const EMBEDDINGS_PER_SECOND: u32 = 32;
/// …and in a burst (at least one reveal's worth: `MaxInputs` is 16).
pub const EMBEDDING_BURST: u32 = 128;

/// A cached score's key: a round is named by its seed, unique across a netuid's reuse.
type ScoreKey = (NetUid, [u8; 32], AccountId);

/// A submission as listed: what its first and last bytes say.
struct Listed {
	hotkey: AccountId,
	uid: Option<u16>,
	commit_block: BlockNumber,
	revealed: bool,
	/// The outputs, when this call scores them.
	outputs: Option<Vec<Vec<i8>>>,
}

/// A kept round and its submissions.
pub struct KeptRound {
	round: RoundInfo,
	submissions: Vec<Listed>,
}

/// Scores reveals with the node's model, within the budgets above.
pub struct Scorer {
	models: Option<Arc<dyn InferenceHost>>,
	cache: Mutex<(HashMap<ScoreKey, i64>, VecDeque<ScoreKey>)>,
	embeddings: RateLimiter,
	/// Held by the one call that may score.
	busy: Mutex<()>,
}

impl Scorer {
	/// Scores with `models` (none: nothing is scored).
	pub fn new(models: Option<Arc<dyn InferenceHost>>) -> Self {
		Self {
			models,
			cache: Mutex::new((HashMap::new(), VecDeque::new())),
			embeddings: RateLimiter::new(EMBEDDINGS_PER_SECOND, EMBEDDING_BURST),
			busy: Mutex::new(()),
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

	/// The kept rounds of `netuid`, newest first, read from the current externalities: each
	/// submission listed, and the outputs of up to [`SCORED_PER_CALL`] unscored reveals read
	/// when `may_score` (this call holds the scorer) and the budget allows.
	pub fn read_rounds(&self, netuid: NetUid, may_score: bool) -> Vec<KeptRound> {
		let mut to_score = if may_score && self.has_model() { SCORED_PER_CALL } else { 0 };
		let mut rounds: Vec<RoundInfo> =
			pallet_inference::Rounds::<Runtime>::iter_prefix_values(netuid).collect();
		rounds.sort_by(|a, b| b.index.cmp(&a.index));
		rounds
			.into_iter()
			.map(|round| {
				let prefix = (netuid, round.index);
				let submissions = pallet_inference::Submissions::<Runtime>::iter_key_prefix(prefix)
					.filter_map(|hotkey| {
						let key = pallet_inference::Submissions::<Runtime>::hashed_key_for(
							prefix, &hotkey,
						);
						let (commit_block, revealed) = submission_header(&key)?;
						let uid = pallet_subnets::Uids::<Runtime>::get(netuid, &hotkey);
						let score_key = (netuid, round.seed, hotkey.clone());
						let wanted = revealed && to_score > 0 && self.cached(&score_key).is_none();
						let outputs = if wanted
							&& self
								.embeddings
								.try_acquire_many(u32::from(round.spec.inputs_per_round))
						{
							to_score = to_score.saturating_sub(1);
							pallet_inference::Submissions::<Runtime>::get(prefix, &hotkey)
								.map(|s| s.outputs.into_iter().map(|o| o.into_inner()).collect())
						} else {
							None
						};
						Some(Listed { hotkey, uid, commit_block, revealed, outputs })
					})
					.collect();
				KeptRound { round, submissions }
			})
			.collect()
	}

	/// Tries to become the one scoring call.
	pub fn try_begin(&self) -> Option<std::sync::MutexGuard<'_, ()>> {
		self.busy.try_lock().ok()
	}

	/// The JSON of `kept`, scoring the reveals whose outputs were read.
	pub fn round_json(&self, netuid: NetUid, kept: KeptRound) -> Value {
		let KeptRound { round, submissions } = kept;
		let spec = &round.spec;
		let submissions: Vec<Value> = submissions
			.into_iter()
			.map(|listed| {
				let key = (netuid, round.seed, listed.hotkey.clone());
				let cosine = match (&listed.outputs, self.cached(&key)) {
					(_, Some(cached)) => Some(cached),
					(Some(outputs), None) => self.score(&round, &listed.hotkey, outputs).map(|c| {
						self.remember(key, c);
						c
					}),
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
	/// a validator scores it (`pallet_inference::offchain::scoring`).
	fn score(&self, round: &RoundInfo, hotkey: &AccountId, outputs: &[Vec<i8>]) -> Option<i64> {
		let models = self.models.as_ref()?;
		let spec = &round.spec;
		let seed = pallet_inference::challenge_seed(&round.seed, hotkey);
		let inputs =
			models.challenge_inputs(spec.model, seed, u32::from(spec.inputs_per_round)).ok()?;
		let references = models.embed(spec.model, inputs).ok()?;
		Some(pallet_inference::offchain::scoring::mean_cosine_ppm(outputs, &references))
	}
}

/// A submission's commit block and whether it was revealed, from its stored value's first 36
/// bytes and its last: `hash ‖ commit_block ‖ outputs ‖ revealed` (SCALE, in field order).
fn submission_header(key: &[u8]) -> Option<(BlockNumber, bool)> {
	let mut head = [0u8; 36];
	let length = sp_io::storage::read(key, &mut head, 0)?;
	let commit_block = BlockNumber::decode(&mut head.get(32..36)?).ok()?;
	let mut last = [0u8; 1];
	sp_io::storage::read(key, &mut last, length.checked_sub(1)?)?;
	let revealed = bool::decode(&mut &last[..]).ok()?;
	Some((commit_block, revealed))
}
