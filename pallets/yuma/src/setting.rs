//! Setting weights: the checks of docs/ARCHITECTURE.md ("Setting weights"), directly or through
//! commit-reveal.

use alloc::vec::Vec;
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*};
use myelin_primitives::{
	BlockNumber, NetUid, SubnetHyperparams, SubnetInfo, Uid, MAX_UIDS_HARD_CAP,
};
use sp_core::H256;
use sp_runtime::traits::SaturatedConversion;

use crate::{
	pallet::{Config, EpochIndex, Error, Event, Metrics, Pallet, WeightCommits, Weights},
	NeuronMetric, SparseRow, WeightCommit,
};

/// The hash a commit binds: `blake2_256(SCALE(hotkey, netuid, epoch, uids, values, salt,
/// version_key))`, where `epoch` is the subnet's epoch index when the commit is made
/// ([`Pallet::epoch_index`]).
pub fn commit_hash<AccountId: Encode>(
	hotkey: &AccountId,
	netuid: NetUid,
	epoch: u64,
	uids: &[Uid],
	values: &[u16],
	salt: &[u16],
	version_key: u64,
) -> H256 {
	H256(sp_io::hashing::blake2_256(
		&(hotkey, netuid, epoch, uids, values, salt, version_key).encode(),
	))
}

impl<T: Config> Pallet<T> {
	pub(crate) fn now() -> BlockNumber {
		frame_system::Pallet::<T>::block_number().saturated_into()
	}

	fn params(netuid: NetUid) -> Result<SubnetHyperparams, DispatchError> {
		T::Subnets::hyperparams(netuid).ok_or_else(|| Error::<T>::SubnetNotFound.into())
	}

	/// Checks and stores a weight vector. `revealed` is true when it comes from a matching
	/// commit (then the subnet must use commit-reveal; otherwise it must not).
	pub(crate) fn do_set_weights(
		hotkey: &T::AccountId,
		netuid: NetUid,
		uids: Vec<Uid>,
		values: Vec<u16>,
		version_key: u64,
		revealed: bool,
	) -> DispatchResult {
		let params = Self::params(netuid)?;
		ensure!(revealed || !params.commit_reveal_enabled, Error::<T>::CommitRevealEnabled);
		let uid =
			T::Subnets::uid_of_hotkey(netuid, hotkey).ok_or(Error::<T>::HotkeyNotRegistered)?;
		let n = T::Subnets::neuron_count(netuid);
		// One read of the metrics serves the checks (permit, rate limit) and the update.
		let mut metrics = Metrics::<T>::get(netuid);
		let mut metric = metrics.get(uid);
		let row = Self::check_weights(&params, &metric, uid, n, uids, values, version_key)?;

		let count = u32::try_from(row.len()).unwrap_or(u32::MAX);
		Weights::<T>::insert(netuid, uid, row);
		metric.last_update = Self::now();
		metrics.set(uid, metric);
		Metrics::<T>::insert(netuid, metrics);
		Self::deposit_event(Event::WeightsSet { netuid, uid, count });
		Ok(())
	}

	/// Every check of a weight vector; returns it sorted by UID and max-upscaled.
	fn check_weights(
		params: &SubnetHyperparams,
		metric: &NeuronMetric,
		uid: Uid,
		n: u16,
		uids: Vec<Uid>,
		values: Vec<u16>,
		version_key: u64,
	) -> Result<SparseRow, DispatchError> {
		ensure!(uids.len() == values.len(), Error::<T>::LengthMismatch);
		let mut row: Vec<(Uid, u16)> = uids.into_iter().zip(values).collect();
		row.sort_unstable_by_key(|&(target, _)| target);
		ensure!(
			row.windows(2).all(|w| matches!(w, [a, b] if a.0 != b.0)),
			Error::<T>::DuplicateUid
		);
		ensure!(row.iter().all(|&(target, _)| target < n), Error::<T>::UidOutOfRange);
		let largest = row.iter().map(|&(_, w)| w).max().unwrap_or_default();
		ensure!(largest > 0, Error::<T>::AllWeightsZero);
		ensure!(version_key >= params.weights_version_key, Error::<T>::OutdatedVersionKey);

		let last = metric.last_update;
		ensure!(
			last == 0 || Self::now() >= last.saturating_add(params.weights_set_rate_limit),
			Error::<T>::SettingWeightsTooFast
		);

		// A vector holding only the neuron's own UID is how miners signal liveness.
		let self_weight_only = matches!(row.as_slice(), [(target, _)] if *target == uid);
		if !self_weight_only {
			ensure!(metric.validator_permit, Error::<T>::NoValidatorPermit);
			let needed = usize::from(params.min_allowed_weights.min(n));
			ensure!(row.len() >= needed, Error::<T>::TooFewWeights);
			ensure!(
				Self::within_max_weight(&row, params.max_weights_limit),
				Error::<T>::MaxWeightExceeded
			);
		}

		// Max-upscale: the largest weight becomes u16::MAX (exact, rounded down).
		let upscaled: Vec<(Uid, u16)> = row
			.into_iter()
			.map(|(target, w)| {
				let scaled = u64::from(w)
					.saturating_mul(u64::from(u16::MAX))
					.checked_div(u64::from(largest))
					.unwrap_or_default();
				(target, u16::try_from(scaled).unwrap_or(u16::MAX))
			})
			.collect();
		SparseRow::try_from(upscaled).map_err(|_| Error::<T>::UidOutOfRange.into())
	}

	/// Whether every weight's share of the vector's sum is at most `limit / u16::MAX`.
	fn within_max_weight(row: &[(Uid, u16)], limit: u16) -> bool {
		if limit == u16::MAX {
			return true;
		}
		let total = row.iter().fold(0u128, |acc, &(_, w)| acc.saturating_add(u128::from(w)));
		row.iter().all(|&(_, w)| {
			u128::from(w).saturating_mul(u128::from(u16::MAX))
				<= total.saturating_mul(u128::from(limit))
		})
	}

	pub(crate) fn do_commit_weights(
		hotkey: T::AccountId,
		netuid: NetUid,
		hash: H256,
	) -> DispatchResult {
		let params = Self::params(netuid)?;
		ensure!(params.commit_reveal_enabled, Error::<T>::CommitRevealDisabled);
		ensure!(
			T::Subnets::uid_of_hotkey(netuid, &hotkey).is_some(),
			Error::<T>::HotkeyNotRegistered
		);
		let epoch = EpochIndex::<T>::get(netuid);
		WeightCommits::<T>::try_mutate(netuid, &hotkey, |commits| -> DispatchResult {
			commits.retain(|commit| !Self::expired(commit.epoch, epoch, &params));
			// One commit per epoch: committing alternatives to reveal the best is not possible.
			ensure!(commits.iter().all(|c| c.epoch != epoch), Error::<T>::AlreadyCommitted);
			// Live commits are at most one per epoch of the reveal period and the current one,
			// which `MaxCommits` holds: this cannot fail.
			commits
				.try_push(WeightCommit { hash, epoch })
				.map_err(|_| Error::<T>::AlreadyCommitted)?;
			Ok(())
		})?;
		Self::deposit_event(Event::WeightsCommitted { netuid, hotkey, hash, epoch });
		Ok(())
	}

	pub(crate) fn do_reveal_weights(
		hotkey: T::AccountId,
		netuid: NetUid,
		uids: Vec<Uid>,
		values: Vec<u16>,
		salt: Vec<u16>,
		version_key: u64,
	) -> DispatchResult {
		let params = Self::params(netuid)?;
		ensure!(params.commit_reveal_enabled, Error::<T>::CommitRevealDisabled);
		// Refused before any hashing: a vector no subnet can hold is not worth hashing once
		// per live commit.
		ensure!(uids.len() == values.len(), Error::<T>::LengthMismatch);
		ensure!(uids.len() <= usize::from(MAX_UIDS_HARD_CAP), Error::<T>::UidOutOfRange);
		let mut commits = WeightCommits::<T>::get(netuid, &hotkey);
		// Each live commit is from its own epoch: hash the vector for each.
		let position = commits
			.iter()
			.position(|commit| {
				commit.hash
					== commit_hash(
						&hotkey,
						netuid,
						commit.epoch,
						&uids,
						&values,
						&salt,
						version_key,
					)
			})
			.ok_or(Error::<T>::NoMatchingCommit)?;
		let committed = commits.get(position).map(|c| c.epoch).unwrap_or_default();
		let now = EpochIndex::<T>::get(netuid);
		// Only after the subnet's next epoch: whatever a copier sees in a reveal is at least
		// one epoch old by the time a copy of it could count.
		ensure!(now > committed, Error::<T>::RevealTooEarly);
		ensure!(!Self::expired(committed, now, &params), Error::<T>::CommitExpired);

		Self::do_set_weights(&hotkey, netuid, uids, values, version_key, true)?;
		commits.remove(position);
		if commits.is_empty() {
			WeightCommits::<T>::remove(netuid, &hotkey);
		} else {
			WeightCommits::<T>::insert(netuid, &hotkey, commits);
		}
		Ok(())
	}

	/// Whether a commit of epoch `committed` can no longer be revealed at epoch `now`.
	fn expired(committed: u64, now: u64, params: &SubnetHyperparams) -> bool {
		now > committed.saturating_add(u64::from(params.reveal_period))
	}
}
