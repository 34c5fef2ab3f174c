//! What other pallets ask of this one: each neuron's emission (the pruning score), and dropping
//! per-UID data when a UID changes hands or a subnet is dissolved.

use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use myelin_primitives::{
	BlockNumber, NetUid, NeuronEmission, OnNeuronChange, SubnetClearing, SubnetInfo, Uid,
	ValidatorStatus,
};

use crate::{
	pallet::{
		Bonds, Config, DeferredEpochs, EpochIndex, LastEpoch, Metrics, Pallet, WeightCommits,
		Weights,
	},
	NeuronMetrics,
};

impl<T: Config> NeuronEmission for Pallet<T> {
	fn emissions(netuid: NetUid) -> Vec<u64> {
		Metrics::<T>::get(netuid).emission.into_inner()
	}
}

impl<T: Config> ValidatorStatus for Pallet<T> {
	fn has_permit(netuid: NetUid, uid: Uid) -> bool {
		Metrics::<T>::get(netuid).get(uid).validator_permit
	}

	fn last_update(netuid: NetUid, uid: Uid) -> BlockNumber {
		Metrics::<T>::get(netuid).get(uid).last_update
	}

	fn epoch_index(netuid: NetUid) -> u64 {
		EpochIndex::<T>::get(netuid)
	}
}

impl<T: Config> Pallet<T> {
	/// The per-UID metrics of `netuid` (empty for an unknown subnet): what views and tools read.
	pub fn metrics(netuid: NetUid) -> NeuronMetrics {
		Metrics::<T>::get(netuid)
	}

	/// The block of `netuid`'s last epoch (`None`: none yet).
	pub fn last_epoch(netuid: NetUid) -> Option<BlockNumber> {
		LastEpoch::<T>::get(netuid)
	}

	/// How many epochs `netuid` has run: the epoch a weight commit made now belongs to.
	pub fn epoch_index(netuid: NetUid) -> u64 {
		EpochIndex::<T>::get(netuid)
	}
}

impl<T: Config> OnNeuronChange<T::AccountId> for Pallet<T> {
	fn on_neuron_replaced(
		netuid: NetUid,
		uid: Uid,
		old_hotkey: &T::AccountId,
		_new: &T::AccountId,
	) {
		Weights::<T>::remove(netuid, uid);
		Bonds::<T>::remove(netuid, uid);
		WeightCommits::<T>::remove(netuid, old_hotkey);
		Metrics::<T>::mutate_exists(netuid, |metrics| {
			if let Some(metrics) = metrics {
				metrics.reset(uid);
			}
		});
		// Other validators' bonds on this UID are dropped by the next epoch, which ignores bonds
		// on neurons registered since the previous one.
	}

	fn on_subnet_removed(netuid: NetUid) {
		Metrics::<T>::remove(netuid);
		LastEpoch::<T>::remove(netuid);
		EpochIndex::<T>::remove(netuid);
		DeferredEpochs::<T>::mutate(|queue| queue.retain(|n| *n != netuid));
	}

	fn clear_subnet(netuid: NetUid, limit: u32) -> SubnetClearing {
		SubnetClearing::in_turn(
			limit,
			&[
				&|limit| {
					let keys = Weights::<T>::iter_key_prefix(netuid);
					SubnetClearing::remove_keys(keys, limit, |uid| {
						Weights::<T>::remove(netuid, uid)
					})
				},
				&|limit| {
					let keys = Bonds::<T>::iter_key_prefix(netuid);
					SubnetClearing::remove_keys(keys, limit, |uid| Bonds::<T>::remove(netuid, uid))
				},
				&|limit| {
					let keys = WeightCommits::<T>::iter_key_prefix(netuid);
					SubnetClearing::remove_keys(keys, limit, |hotkey| {
						WeightCommits::<T>::remove(netuid, hotkey)
					})
				},
			],
		)
	}
}

impl<T: Config> Pallet<T> {
	/// Invariants: rows sorted by UID and within the subnet, vectors no longer than the subnet,
	/// at most one commit per epoch and none ahead of the subnet's epoch index, nothing stored
	/// for subnets that do not exist (but for dissolved ones still being cleared).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (netuid, uid, row) in Weights::<T>::iter().chain(Bonds::<T>::iter()) {
			if T::Subnets::is_clearing(netuid) {
				continue;
			}
			ensure!(T::Subnets::exists(netuid), "row of a missing subnet");
			let n = T::Subnets::neuron_count(netuid);
			ensure!(uid < n, "row of a UID beyond the subnet");
			ensure!(row.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)), "row not sorted");
			ensure!(row.iter().all(|&(j, _)| j < n), "entry beyond the subnet");
		}
		for (netuid, _, commits) in WeightCommits::<T>::iter() {
			if T::Subnets::is_clearing(netuid) {
				continue;
			}
			ensure!(T::Subnets::exists(netuid), "commit on a missing subnet");
			let now = EpochIndex::<T>::get(netuid);
			ensure!(commits.iter().all(|c| c.epoch <= now), "commit from a future epoch");
			ensure!(
				commits.windows(2).all(|w| matches!(w, [a, b] if a.epoch < b.epoch)),
				"two commits in one epoch"
			);
		}
		for (netuid, metrics) in Metrics::<T>::iter() {
			ensure!(T::Subnets::exists(netuid), "metrics of a missing subnet");
			ensure!(metrics.len() <= T::Subnets::neuron_count(netuid), "metrics beyond the subnet");
			ensure!(metrics.is_rectangular(), "metric vectors of different lengths");
		}
		Ok(())
	}
}
