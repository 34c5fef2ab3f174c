//! Task specs, the round schedule, miners' commits and reveals, and pruning.

use alloc::vec::Vec;
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*, BoundedVec};
use frame_system::pallet_prelude::OriginFor;
use myelin_primitives::{BlockNumber, NetUid, SubnetInfo};
use sp_core::H256;
use sp_runtime::traits::SaturatedConversion;

use crate::{
	pallet::{
		Config, CurrentRound, Error, Event, Pallet, PruneQueue, Rounds, Submissions, TaskSpecs,
	},
	types::{RoundIndex, RoundInfo, TaskSpec},
	weights::WeightInfo,
	SubmissionOf,
};

/// A miner's challenge seed in a round: `blake2_256(round seed ‖ SCALE(hotkey))`.
pub fn challenge_seed<AccountId: Encode>(round_seed: &[u8; 32], hotkey: &AccountId) -> [u8; 32] {
	sp_io::hashing::blake2_256(&(round_seed, hotkey).encode())
}

/// What a miner commits to: `blake2_256(SCALE(hotkey, netuid, round, outputs, salt))`.
pub fn outputs_hash<AccountId: Encode>(
	hotkey: &AccountId,
	netuid: NetUid,
	round: RoundIndex,
	outputs: &[Vec<i8>],
	salt: &[u8; 32],
) -> H256 {
	H256(sp_io::hashing::blake2_256(&(hotkey, netuid, round, outputs, salt).encode()))
}

/// The number of output values in a reveal (its weight component).
pub(crate) fn output_elements(outputs: &[Vec<i8>]) -> u32 {
	let total = outputs.iter().fold(0usize, |acc, output| acc.saturating_add(output.len()));
	u32::try_from(total).unwrap_or(u32::MAX)
}

impl<T: Config> Pallet<T> {
	pub(crate) fn now() -> BlockNumber {
		frame_system::Pallet::<T>::block_number().saturated_into()
	}

	pub(crate) fn ensure_owner_or_governance(
		origin: OriginFor<T>,
		netuid: NetUid,
	) -> DispatchResult {
		let owner = T::Subnets::owner(netuid).ok_or(Error::<T>::SubnetNotFound)?;
		match T::GovernanceOrigin::try_origin(origin) {
			Ok(_) => Ok(()),
			Err(origin) => {
				let who = frame_system::ensure_signed(origin)?;
				ensure!(who == owner, Error::<T>::NotSubnetOwner);
				Ok(())
			}
		}
	}

	pub(crate) fn do_set_task_spec(netuid: NetUid, spec: TaskSpec) -> DispatchResult {
		ensure!(
			spec.is_valid(T::MaxInputs::get(), T::MaxDimensions::get()),
			Error::<T>::InvalidTaskSpec
		);
		TaskSpecs::<T>::insert(netuid, spec);
		Self::deposit_event(Event::TaskSpecSet { netuid, spec });
		Ok(())
	}

	pub(crate) fn do_remove_task_spec(netuid: NetUid) -> DispatchResult {
		ensure!(TaskSpecs::<T>::take(netuid).is_some(), Error::<T>::NoTaskSpec);
		Self::deposit_event(Event::TaskSpecRemoved { netuid });
		Ok(())
	}

	/// Whether `netuid`'s round is due at `block`: `(block + netuid) % interval == 0`.
	pub(crate) fn round_due(netuid: NetUid, spec: &TaskSpec, block: BlockNumber) -> bool {
		block
			.checked_add(BlockNumber::from(netuid))
			.and_then(|b| b.checked_rem(spec.interval))
			.is_some_and(|rest| rest == 0)
	}

	pub(crate) fn start_due_rounds() -> Weight {
		let now = Self::now();
		let mut specs = 0u32;
		let mut started = 0u32;
		for (netuid, spec) in TaskSpecs::<T>::iter() {
			specs = specs.saturating_add(1);
			if Self::round_due(netuid, &spec, now) {
				Self::start_round(netuid, spec, now);
				started = started.saturating_add(1);
			}
		}
		T::WeightInfo::on_initialize(specs)
			.saturating_add(T::WeightInfo::start_round().saturating_mul(started.into()))
	}

	/// Starts `netuid`'s next round at `now` and queues the round that falls out of the kept
	/// window for pruning.
	pub(crate) fn start_round(netuid: NetUid, spec: TaskSpec, now: BlockNumber) {
		let index = CurrentRound::<T>::get(netuid).map_or(1, |r| r.index.saturating_add(1));
		let parent = frame_system::Pallet::<T>::parent_hash();
		let seed = sp_io::hashing::blake2_256(&(parent, netuid, index).encode());
		let round = RoundInfo { index, start: now, seed, spec };
		CurrentRound::<T>::insert(netuid, round);
		Rounds::<T>::insert(netuid, index, round);
		if let Some(old) = index.checked_sub(T::RoundsKept::get()) {
			if Rounds::<T>::take(netuid, old).is_some() {
				Self::queue_prune(netuid, old);
			}
		}
		Self::deposit_event(Event::RoundStarted { netuid, round: index, seed });
	}

	/// Queues a dropped round's submissions for removal. A full queue (pruning fell far behind)
	/// removes them at once rather than leaking them.
	pub(crate) fn queue_prune(netuid: NetUid, round: RoundIndex) {
		let queued = PruneQueue::<T>::mutate(|queue| queue.try_push((netuid, round)).is_ok());
		if !queued {
			let _ = Submissions::<T>::clear_prefix((netuid, round), u32::MAX, None);
		}
	}

	/// Removes up to `MaxPrunedPerBlock` submissions of dropped rounds, oldest round first.
	pub(crate) fn prune_old_rounds() -> Weight {
		let mut queue = PruneQueue::<T>::get();
		if queue.is_empty() {
			return T::WeightInfo::prune(0);
		}
		let mut budget = T::MaxPrunedPerBlock::get();
		let mut removed = 0u32;
		let mut done = 0usize;
		for &(netuid, round) in queue.iter() {
			if budget == 0 {
				break;
			}
			let result = Submissions::<T>::clear_prefix((netuid, round), budget, None);
			budget = budget.saturating_sub(result.unique);
			removed = removed.saturating_add(result.unique);
			if result.maybe_cursor.is_some() {
				break;
			}
			done = done.saturating_add(1);
		}
		let rest: Vec<_> = queue.iter().skip(done).copied().collect();
		queue = BoundedVec::truncate_from(rest);
		PruneQueue::<T>::put(queue);
		T::WeightInfo::prune(removed)
	}

	pub(crate) fn do_commit_outputs(
		hotkey: T::AccountId,
		netuid: NetUid,
		round: RoundIndex,
		hash: H256,
	) -> DispatchResult {
		ensure!(TaskSpecs::<T>::contains_key(netuid), Error::<T>::NoTaskSpec);
		ensure!(
			T::Subnets::uid_of_hotkey(netuid, &hotkey).is_some(),
			Error::<T>::HotkeyNotRegistered
		);
		let current = CurrentRound::<T>::get(netuid).ok_or(Error::<T>::NotCurrentRound)?;
		ensure!(current.index == round, Error::<T>::NotCurrentRound);
		let now = Self::now();
		// The round's own task, not one set since it started.
		ensure!(now < current.spec.commit_end(current.start), Error::<T>::CommitWindowClosed);
		ensure!(
			!Submissions::<T>::contains_key((netuid, round), &hotkey),
			Error::<T>::AlreadyCommitted
		);
		let submission = SubmissionOf::<T> {
			hash: hash.0,
			commit_block: now,
			outputs: BoundedVec::new(),
			revealed: false,
		};
		Submissions::<T>::insert((netuid, round), &hotkey, submission);
		Self::deposit_event(Event::OutputsCommitted { netuid, round, hotkey, hash });
		Ok(())
	}

	pub(crate) fn do_reveal_outputs(
		hotkey: T::AccountId,
		netuid: NetUid,
		round: RoundIndex,
		outputs: Vec<Vec<i8>>,
		salt: [u8; 32],
	) -> DispatchResult {
		ensure!(TaskSpecs::<T>::contains_key(netuid), Error::<T>::NoTaskSpec);
		ensure!(
			T::Subnets::uid_of_hotkey(netuid, &hotkey).is_some(),
			Error::<T>::HotkeyNotRegistered
		);
		let info = Rounds::<T>::get(netuid, round).ok_or(Error::<T>::UnknownRound)?;
		let spec = info.spec;
		let now = Self::now();
		ensure!(now >= spec.commit_end(info.start), Error::<T>::RevealTooEarly);
		ensure!(now < spec.reveal_end(info.start), Error::<T>::RevealWindowClosed);
		let mut submission =
			Submissions::<T>::get((netuid, round), &hotkey).ok_or(Error::<T>::NoCommit)?;
		ensure!(!submission.revealed, Error::<T>::AlreadyRevealed);
		ensure!(outputs.len() == usize::from(spec.inputs_per_round), Error::<T>::WrongOutputCount);
		ensure!(
			outputs.iter().all(|o| o.len() == usize::from(spec.dimensions)),
			Error::<T>::WrongOutputWidth
		);
		ensure!(
			outputs_hash(&hotkey, netuid, round, &outputs, &salt).0 == submission.hash,
			Error::<T>::HashMismatch
		);
		let bounded = outputs
			.into_iter()
			.map(BoundedVec::try_from)
			.collect::<Result<Vec<_>, _>>()
			.map_err(|_| Error::<T>::WrongOutputWidth)?;
		submission.outputs =
			BoundedVec::try_from(bounded).map_err(|_| Error::<T>::WrongOutputCount)?;
		submission.revealed = true;
		Submissions::<T>::insert((netuid, round), &hotkey, submission);
		Self::deposit_event(Event::OutputsRevealed { netuid, round, hotkey });
		Ok(())
	}

	/// `netuid`'s inference task, if it has one.
	pub fn task_spec(netuid: NetUid) -> Option<TaskSpec> {
		TaskSpecs::<T>::get(netuid)
	}

	/// The round `netuid` runs now, if it has a task and started one.
	pub fn current_round(netuid: NetUid) -> Option<RoundInfo> {
		CurrentRound::<T>::get(netuid)
	}

	/// `hotkey`'s challenge seed in `round` of `netuid`, while the round is kept.
	pub fn miner_seed(
		netuid: NetUid,
		round: RoundIndex,
		hotkey: &T::AccountId,
	) -> Option<[u8; 32]> {
		Rounds::<T>::get(netuid, round).map(|info| challenge_seed(&info.seed, hotkey))
	}
}
