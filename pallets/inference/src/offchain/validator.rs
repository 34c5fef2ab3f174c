//! The validator worker: score each finished round, keep a moving average per miner, and set
//! weights from it (committing first on commit-reveal subnets).

use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_system::offchain::Account;
use myelin_primitives::{BlockNumber, NetUid, SubnetInfo, Uid, ValidatorStatus};

use super::{embed, inputs, load, scoring, storage_key, store, submit};
use crate::{
	challenge_seed,
	pallet::{Config, Pallet, Rounds, Submissions},
	RoundIndex, RoundInfo, TaskSpec, WeightCalls,
};

/// What a validator keeps per subnet.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct ValidatorState<AccountId> {
	/// The last round scored.
	pub scored: RoundIndex,
	/// The moving average score (ppm) of each miner hotkey.
	pub averages: Vec<(AccountId, u32)>,
	/// The block weights (or a weight commit) were last sent at (0: never).
	pub weights_sent: BlockNumber,
	/// The last round scored when weights were last sent: newer scores are worth sending.
	pub weights_round: RoundIndex,
	/// A weight commit waiting for its reveal.
	pub pending: Option<PendingWeights>,
}

impl<AccountId> Default for ValidatorState<AccountId> {
	fn default() -> Self {
		ValidatorState {
			scored: 0,
			averages: Vec::new(),
			weights_sent: 0,
			weights_round: 0,
			pending: None,
		}
	}
}

/// A committed weight vector, kept for its reveal.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct PendingWeights {
	/// UIDs weighted.
	pub uids: Vec<Uid>,
	/// Their weights.
	pub values: Vec<u16>,
	/// The commit's salt.
	pub salt: Vec<u16>,
	/// The version key committed to.
	pub version_key: u64,
	/// The subnet's epoch index the commit was made in (and its hash binds).
	pub epoch: u64,
}

/// Blocks to wait after sending weights before sending again (the transaction's inclusion).
const RESEND_AFTER: BlockNumber = 3;

fn state_key<T: Config>(netuid: NetUid, account: &Account<T>) -> Vec<u8> {
	storage_key(&[b"validator", &netuid.to_le_bytes(), &account.id.encode()])
}

/// One step of the validator `account` (UID `uid`) on `netuid` at the current block.
pub fn work<T: Config>(netuid: NetUid, account: &Account<T>, uid: Uid) {
	if !T::ValidatorStatus::has_permit(netuid, uid) {
		return;
	}
	let now = Pallet::<T>::now();
	let key = state_key::<T>(netuid, account);
	let mut state: ValidatorState<T::AccountId> = load(&key).unwrap_or_default();

	let mut finished: Vec<RoundInfo> = Rounds::<T>::iter_prefix_values(netuid)
		.filter(|r| r.index > state.scored && r.spec.reveal_end(r.start) <= now)
		.collect();
	finished.sort_unstable_by_key(|r| r.index);
	for round in finished {
		// Each round is scored by its own task.
		let Some(scores) = score_round::<T>(netuid, &round.spec, &round, &account.id) else {
			// The model is not available here; try again next block.
			break;
		};
		apply_scores::<T>(netuid, &mut state.averages, &scores, &account.id);
		state.scored = round.index;
		log::info!(
			target: "runtime::inference",
			"validator scored round {} of subnet {netuid}: {} answers",
			round.index,
			scores.len()
		);
	}

	send_weights::<T>(netuid, account, uid, &mut state, now);
	store(&key, &state);
}

/// Scores every revealed answer of `round` by a registered hotkey other than the validator's:
/// `(hotkey, score ppm)`. `None` when the node cannot run the model.
fn score_round<T: Config>(
	netuid: NetUid,
	spec: &TaskSpec,
	round: &RoundInfo,
	validator: &T::AccountId,
) -> Option<Vec<(T::AccountId, u32)>> {
	let answers: Vec<_> = Submissions::<T>::iter_prefix((netuid, round.index))
		.filter(|(hotkey, s)| {
			s.revealed && hotkey != validator && T::Subnets::uid_of_hotkey(netuid, hotkey).is_some()
		})
		.collect();
	// One batch for the whole round: every miner's inputs, in order.
	let mut texts = Vec::new();
	for (hotkey, _) in &answers {
		texts.extend(inputs(spec, challenge_seed(&round.seed, hotkey))?);
	}
	let references = if texts.is_empty() { Vec::new() } else { embed(spec, texts)? };
	let per_miner = usize::from(spec.inputs_per_round);
	let scores = answers
		.into_iter()
		.enumerate()
		.map(|(i, (hotkey, submission))| {
			let from = i.saturating_mul(per_miner);
			let refs = references.get(from..from.saturating_add(per_miner)).unwrap_or_default();
			let cosine = scoring::mean_cosine_ppm(&submission.outputs, refs);
			let speed = scoring::speed_ppm(spec, round.start, submission.commit_block);
			(hotkey, scoring::round_score(spec, cosine, speed))
		})
		.collect();
	Some(scores)
}

/// Moves every registered hotkey's average by its score this round (0 without an answer) and
/// forgets hotkeys that left the subnet.
fn apply_scores<T: Config>(
	netuid: NetUid,
	averages: &mut Vec<(T::AccountId, u32)>,
	scores: &[(T::AccountId, u32)],
	validator: &T::AccountId,
) {
	let hotkeys = T::Subnets::hotkeys(netuid);
	let previous = core::mem::take(averages);
	for hotkey in hotkeys.into_iter().filter(|h| h != validator) {
		let ema = previous.iter().find(|(h, _)| *h == hotkey).map_or(0, |&(_, e)| e);
		let score = scores.iter().find(|(h, _)| *h == hotkey).map_or(0, |&(_, s)| s);
		averages.push((hotkey, scoring::update_ema(ema, score)));
	}
}

/// Sets weights from the averages when the rate limit allows, revealing a pending commit first
/// on commit-reveal subnets.
fn send_weights<T: Config>(
	netuid: NetUid,
	account: &Account<T>,
	uid: Uid,
	state: &mut ValidatorState<T::AccountId>,
	now: BlockNumber,
) {
	let Some(params) = T::Subnets::hyperparams(netuid) else { return };
	let epoch = T::ValidatorStatus::epoch_index(netuid);
	if let Some(pending) = state.pending.clone() {
		let expired = epoch > pending.epoch.saturating_add(u64::from(params.reveal_period));
		// An epoch index below the commit's: the netuid was dissolved and registered again.
		let reset = epoch < pending.epoch;
		if !params.commit_reveal_enabled || expired || reset {
			state.pending = None;
		} else if epoch > pending.epoch {
			// The subnet's next epoch has run: the commit may be revealed.
			let call = T::WeightCalls::reveal_weights(
				netuid,
				pending.uids,
				pending.values,
				pending.salt,
				pending.version_key,
			);
			if submit::<T, T::ValidatorKey>(account, call) {
				state.pending = None;
				state.weights_sent = now;
			}
		}
		return;
	}

	let last = T::ValidatorStatus::last_update(netuid, uid);
	let limited = last != 0 && now < last.saturating_add(params.weights_set_rate_limit);
	let recently_sent =
		state.weights_sent != 0 && now < state.weights_sent.saturating_add(RESEND_AFTER);
	if limited || recently_sent || state.scored <= state.weights_round {
		return;
	}
	let by_uid: Vec<(Uid, u32)> = state
		.averages
		.iter()
		.filter_map(|(hotkey, ema)| T::Subnets::uid_of_hotkey(netuid, hotkey).map(|u| (u, *ema)))
		.collect();
	let Some((uids, values)) = scoring::weight_vector(&by_uid) else { return };
	let version_key = params.weights_version_key;

	if params.commit_reveal_enabled {
		// A commit included after the subnet's next epoch would belong to that epoch, not the
		// one its hash binds: wait until the epoch has passed.
		// (On a tempo this short that every block is near an epoch, only the epoch's own block
		// is avoided.)
		let margin = RESEND_AFTER.min(u32::from(params.tempo).saturating_sub(1) / 2).max(1);
		let closing = myelin_primitives::subnets::blocks_until_epoch(
			netuid,
			params.tempo,
			now.saturating_add(1),
		)
		.is_none_or(|blocks| blocks < margin);
		if closing {
			return;
		}
		let random = sp_io::offchain::random_seed();
		let salt = random.chunks_exact(2).map(|c| match *c {
			[a, b] => u16::from_le_bytes([a, b]),
			_ => 0,
		});
		let salt: Vec<u16> = salt.collect();
		let hash = T::WeightCalls::commit_hash(
			&account.id,
			netuid,
			epoch,
			&uids,
			&values,
			&salt,
			version_key,
		);
		if submit::<T, T::ValidatorKey>(account, T::WeightCalls::commit_weights(netuid, hash)) {
			state.pending = Some(PendingWeights { uids, values, salt, version_key, epoch });
			state.weights_sent = now;
			state.weights_round = state.scored;
		}
	} else {
		let count = uids.len();
		let call = T::WeightCalls::set_weights(netuid, uids, values, version_key);
		if submit::<T, T::ValidatorKey>(account, call) {
			state.weights_sent = now;
			state.weights_round = state.scored;
			log::info!(
				target: "runtime::inference",
				"validator set weights on subnet {netuid} for {count} neurons"
			);
		}
	}
}
