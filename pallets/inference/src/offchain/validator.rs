//! The validator worker: score each finished round, keep a moving average per miner, and set
//! weights from it (committing first on commit-reveal subnets).

use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_support::traits::Get;
use frame_system::offchain::Account;
use myelin_primitives::{BlockNumber, NetUid, SubnetInfo, Uid, ValidatorStatus};

use super::{embed, inputs, load, scoring, storage_key, store, submit};
use crate::{
	challenge_seed,
	pallet::{Config, CurrentRound, Pallet, Rounds, Submissions},
	RoundIndex, RoundInfo, WeightCalls,
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

/// A round scored over several worker runs (kept under its own key, so the validator's state
/// keeps its encoding).
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct RoundProgress<AccountId> {
	/// The round.
	pub round: RoundIndex,
	/// Its seed: a netuid dissolved and registered again counts its rounds from 1 again.
	pub seed: [u8; 32],
	/// The raw storage key of the last submission visited; the next run continues after it.
	pub cursor: Vec<u8>,
	/// `(hotkey, score ppm)` of each miner scored so far.
	pub scores: Vec<(AccountId, u32)>,
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

pub(crate) fn state_key<T: Config>(netuid: NetUid, hotkey: &T::AccountId) -> Vec<u8> {
	storage_key(&[b"validator", &netuid.to_le_bytes(), &hotkey.encode()])
}

fn penalties_key<T: Config>(netuid: NetUid, hotkey: &T::AccountId) -> Vec<u8> {
	storage_key(&[b"validator-penalties", &netuid.to_le_bytes(), &hotkey.encode()])
}

/// Rounds during which a miner caught signing a wrong organic answer scores 0.
pub const AUDIT_PENALTY_ROUNDS: RoundIndex = 100;

/// The miners the validator `hotkey` holds at 0 on `netuid`, each until a round (exclusive),
/// kept under their own key (so the validator's state keeps its encoding).
pub fn penalties<T: Config>(
	netuid: NetUid,
	hotkey: &T::AccountId,
) -> Vec<(T::AccountId, RoundIndex)> {
	load(&penalties_key::<T>(netuid, hotkey)).unwrap_or_default()
}

fn progress_key<T: Config>(netuid: NetUid, hotkey: &T::AccountId) -> Vec<u8> {
	storage_key(&[b"validator-progress", &netuid.to_le_bytes(), &hotkey.encode()])
}

/// What the validator `hotkey` keeps for `netuid` in this node's off-chain storage.
pub fn state<T: Config>(netuid: NetUid, hotkey: &T::AccountId) -> ValidatorState<T::AccountId> {
	load(&state_key::<T>(netuid, hotkey)).unwrap_or_default()
}

/// The round the validator `hotkey` is part-way through scoring on `netuid`, if any.
pub fn progress<T: Config>(
	netuid: NetUid,
	hotkey: &T::AccountId,
) -> Option<RoundProgress<T::AccountId>> {
	load(&progress_key::<T>(netuid, hotkey))
}

/// One step of the validator `account` (UID `uid`) on `netuid` at the current block.
///
/// A run scores at most [`run_budget`] miners' answers, so that its time stays bounded whatever
/// the subnet's size; a larger round is finished by the next runs, continuing after the last
/// submission visited (the lock of [`super::run`] keeps two runs from scoring at once).
pub fn work<T: Config>(netuid: NetUid, account: &Account<T>, uid: Uid) {
	if !T::ValidatorStatus::has_permit(netuid, uid) {
		return;
	}
	let now = Pallet::<T>::now();
	let key = state_key::<T>(netuid, &account.id);
	let mut state: ValidatorState<T::AccountId> = load(&key).unwrap_or_default();
	let progress_key = progress_key::<T>(netuid, &account.id);
	let mut progress: Option<RoundProgress<T::AccountId>> = load(&progress_key);

	// Round numbers never go back on a subnet: if they did, the netuid was dissolved and
	// registered again, and nothing kept for the old subnet applies.
	if CurrentRound::<T>::get(netuid).is_some_and(|round| round.index < state.scored) {
		state = ValidatorState::default();
		progress = None;
		sp_runtime::offchain::storage::StorageValueRef::persistent(&penalties_key::<T>(
			netuid,
			&account.id,
		))
		.clear();
		// Organic counts gathered for the old subnet do not count for the new one.
		super::audits::take::<T::AccountId>(netuid);
	}

	let mut finished: Vec<RoundInfo> = Rounds::<T>::iter_prefix_values(netuid)
		.filter(|r| r.index > state.scored && r.spec.reveal_end(r.start) <= now)
		.collect();
	finished.sort_unstable_by_key(|r| r.index);
	// Behind by more than a round with none begun (the node was down, or rounds come faster
	// than it scores): start with the newest, which has the longest before it is pruned.
	let resuming = progress
		.as_ref()
		.is_some_and(|p| finished.iter().any(|r| r.index == p.round && r.seed == p.seed));
	if !resuming {
		finished = finished.split_off(finished.len().saturating_sub(1));
	}
	let done_so_far = progress.as_ref().map_or(0, |p| p.scores.len());
	let mut budget = run_budget::<T>(netuid, finished.first(), done_so_far, now);
	for round in finished {
		if budget == 0 {
			break;
		}
		// Resume the round begun in an earlier run; a pruned one is abandoned.
		let mut current = match progress.take() {
			Some(p) if p.round == round.index && p.seed == round.seed => p,
			_ => RoundProgress {
				round: round.index,
				seed: round.seed,
				cursor: Vec::new(),
				scores: Vec::new(),
			},
		};
		// Each round is scored by its own task.
		let done = score_round::<T>(netuid, &round, &account.id, &mut current, &mut budget);
		if done != Some(true) {
			// More answers next run, or the model is not available here (try again next
			// block): either way what is scored is kept.
			progress = Some(current);
			break;
		}
		let organic = super::audits::take::<T::AccountId>(netuid);
		let mut penalized = penalties::<T>(netuid, &account.id);
		let scored = Scored { round: round.index, scores: &current.scores, organic: &organic };
		apply_scores::<T>(netuid, &mut state.averages, &mut penalized, scored, &account.id);
		store(&penalties_key::<T>(netuid, &account.id), &penalized);
		state.scored = round.index;
		log::info!(
			target: "runtime::inference",
			"validator scored round {} of subnet {netuid}: {} answers",
			round.index,
			current.scores.len()
		);
	}

	match &progress {
		Some(progress) => store(&progress_key, progress),
		None => sp_runtime::offchain::storage::StorageValueRef::persistent(&progress_key).clear(),
	}
	send_weights::<T>(netuid, account, uid, &mut state, now);
	store(&key, &state);
}

/// How many times `MinersScoredPerRun` one run may score at most: about 2,000 embeddings, some
/// 16 s of one core, far inside the worker lock's 120 s deadline.
const MAX_BUDGET_FACTOR: u32 = 4;

/// Miners one run may score: `MinersScoredPerRun`, or more when `round` (with `scored` of its
/// answers done) would otherwise not be finished before it is pruned, when round
/// `index + RoundsKept` starts, about `RoundsKept` intervals after it started. Plans on half
/// the blocks left, as runs are skipped while a slow one holds the lock; never more than
/// [`MAX_BUDGET_FACTOR`] times the configured number. The node embeds in bounded batches
/// either way, so memory stays flat.
pub(crate) fn run_budget<T: Config>(
	netuid: NetUid,
	round: Option<&RoundInfo>,
	scored: usize,
	now: BlockNumber,
) -> u32 {
	let configured = T::MinersScoredPerRun::get();
	let Some(round) = round else { return configured };
	let scored = u32::try_from(scored).unwrap_or(u32::MAX);
	let remaining = u32::from(T::Subnets::neuron_count(netuid)).saturating_sub(scored);
	let lifetime = T::RoundsKept::get().saturating_mul(round.spec.interval);
	let blocks_left = round.start.saturating_add(lifetime).saturating_sub(now);
	let runs = (blocks_left / 2).max(1);
	remaining.div_ceil(runs).max(configured).min(configured.saturating_mul(MAX_BUDGET_FACTOR))
}

/// Scores up to `budget` more of the revealed answers of `round` by registered hotkeys other
/// than the validator's, after `progress.cursor`, adding them to `progress`; returns whether
/// every answer is now scored (`None` when the node cannot run the model: nothing is added).
/// Reads only the keys it passes and the values of the answers it scores.
fn score_round<T: Config>(
	netuid: NetUid,
	round: &RoundInfo,
	validator: &T::AccountId,
	progress: &mut RoundProgress<T::AccountId>,
	budget: &mut u32,
) -> Option<bool> {
	let spec = &round.spec;
	let prefix = (netuid, round.index);
	// (An empty start key would begin before the prefix, where `next_key` leaves it at once.)
	let mut keys = if progress.cursor.is_empty() {
		Submissions::<T>::iter_key_prefix(prefix)
	} else {
		Submissions::<T>::iter_key_prefix_from(prefix, progress.cursor.clone())
	};
	let mut batch = Vec::new();
	let mut cursor = progress.cursor.clone();
	let mut done = true;
	for hotkey in keys.by_ref() {
		let answer = (hotkey != *validator && T::Subnets::uid_of_hotkey(netuid, &hotkey).is_some())
			.then(|| Submissions::<T>::get(prefix, &hotkey))
			.flatten()
			.filter(|submission| submission.revealed);
		if let Some(submission) = answer {
			if batch.len() >= usize::try_from(*budget).unwrap_or(usize::MAX) {
				// The next run starts with this answer.
				done = false;
				break;
			}
			batch.push((hotkey.clone(), submission));
		}
		cursor = Submissions::<T>::hashed_key_for(prefix, &hotkey);
	}
	// One host call for the batch: every miner's inputs, in order (the node embeds them in
	// bounded chunks).
	let mut texts = Vec::new();
	for (hotkey, _) in &batch {
		texts.extend(inputs(spec, challenge_seed(&round.seed, hotkey))?);
	}
	let references = if texts.is_empty() { Vec::new() } else { embed(spec, texts)? };
	let per_miner = usize::from(spec.inputs_per_round);
	*budget = budget.saturating_sub(u32::try_from(batch.len()).unwrap_or(u32::MAX));
	for (i, (hotkey, submission)) in batch.into_iter().enumerate() {
		let from = i.saturating_mul(per_miner);
		let refs = references.get(from..from.saturating_add(per_miner)).unwrap_or_default();
		let cosine = scoring::mean_cosine_ppm(&submission.outputs, refs);
		let speed = scoring::speed_ppm(spec, round.start, submission.commit_block);
		progress.scores.push((hotkey, scoring::round_score(spec, cosine, speed)));
	}
	progress.cursor = cursor;
	Some(done)
}

/// What one round contributes to the averages.
struct Scored<'a, AccountId> {
	/// The round.
	round: RoundIndex,
	/// Each answering miner's challenge score (ppm).
	scores: &'a [(AccountId, u32)],
	/// The gateway's organic record since the last round.
	organic: &'a [super::audits::AuditTally<AccountId>],
}

/// Moves every registered hotkey's average by its score this round (0 without an answer),
/// with its organic record since the last round folded in ([`scoring::with_organic`]), and
/// forgets hotkeys that left the subnet.
///
/// A miner with a failed audit signed a wrong answer: proof of fraud, not noise. Its average
/// drops to 0 at once and stays there for [`AUDIT_PENALTY_ROUNDS`] rounds (`penalized`), so
/// cheating on organic requests never pays, whatever it earns on challenges.
fn apply_scores<T: Config>(
	netuid: NetUid,
	averages: &mut Vec<(T::AccountId, u32)>,
	penalized: &mut Vec<(T::AccountId, RoundIndex)>,
	scored: Scored<'_, T::AccountId>,
	validator: &T::AccountId,
) {
	let hotkeys = T::Subnets::hotkeys(netuid);
	let previous = core::mem::take(averages);
	// Only registered miners' volume counts towards the most served.
	let tally = |hotkey: &T::AccountId| scored.organic.iter().find(|t| t.hotkey == *hotkey);
	let max_served = hotkeys.iter().filter_map(&tally).map(|t| t.served).max().unwrap_or(0);
	// Penalties end, and leave with their hotkey.
	penalized.retain(|(h, until)| *until > scored.round && hotkeys.contains(h));
	for hotkey in hotkeys.into_iter().filter(|h| h != validator) {
		let (served, failed) = tally(&hotkey).map_or((0, 0), |t| (t.served, t.failed));
		if failed > 0 {
			let until = scored.round.saturating_add(AUDIT_PENALTY_ROUNDS);
			match penalized.iter_mut().find(|(h, _)| *h == hotkey) {
				Some(entry) => entry.1 = until,
				None => penalized.push((hotkey.clone(), until)),
			}
		}
		if penalized.iter().any(|(h, _)| *h == hotkey) {
			averages.push((hotkey, 0));
			continue;
		}
		let ema = previous.iter().find(|(h, _)| *h == hotkey).map_or(0, |&(_, e)| e);
		let challenge = scored.scores.iter().find(|(h, _)| *h == hotkey).map_or(0, |&(_, s)| s);
		let score = scoring::with_organic(challenge, served, failed, max_served);
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
