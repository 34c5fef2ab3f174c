//! What other pallets ask of this one: each neuron's emission (the pruning score), and dropping
//! per-UID data when a UID changes hands or a subnet is dissolved.

use frame_support::pallet_prelude::*;
use myelin_primitives::{
	BlockNumber, NetUid, NeuronEmission, OnNeuronChange, SubnetInfo, Uid, ValidatorStatus,
};

use crate::pallet::{
	Active, Bonds, Config, Consensus, DeferredEpochs, Dividends, Emission, Incentive, LastEpoch,
	LastUpdate, Pallet, ValidatorPermit, ValidatorTrust, WeightCommits, Weights,
};

impl<T: Config> NeuronEmission for Pallet<T> {
	fn emission(netuid: NetUid, uid: Uid) -> u64 {
		Emission::<T>::get(netuid).get(usize::from(uid)).copied().unwrap_or_default()
	}
}

impl<T: Config> ValidatorStatus for Pallet<T> {
	fn has_permit(netuid: NetUid, uid: Uid) -> bool {
		ValidatorPermit::<T>::get(netuid).get(usize::from(uid)).copied().unwrap_or_default()
	}

	fn last_update(netuid: NetUid, uid: Uid) -> BlockNumber {
		LastUpdate::<T>::get(netuid).get(usize::from(uid)).copied().unwrap_or_default()
	}
}

/// Sets `vector[uid]` to its default, if the vector is that long.
fn reset<V: Default, S: Get<u32>>(vector: &mut BoundedVec<V, S>, uid: Uid) {
	if let Some(slot) = vector.get_mut(usize::from(uid)) {
		*slot = V::default();
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
		LastUpdate::<T>::mutate(netuid, |v| reset(v, uid));
		Incentive::<T>::mutate(netuid, |v| reset(v, uid));
		Dividends::<T>::mutate(netuid, |v| reset(v, uid));
		Consensus::<T>::mutate(netuid, |v| reset(v, uid));
		ValidatorTrust::<T>::mutate(netuid, |v| reset(v, uid));
		Active::<T>::mutate(netuid, |v| reset(v, uid));
		ValidatorPermit::<T>::mutate(netuid, |v| reset(v, uid));
		Emission::<T>::mutate(netuid, |v| reset(v, uid));
		// Other validators' bonds on this UID are dropped by the next epoch, which ignores bonds
		// on neurons registered since the previous one.
	}

	fn on_subnet_removed(netuid: NetUid) {
		let _ = Weights::<T>::clear_prefix(netuid, u32::MAX, None);
		let _ = Bonds::<T>::clear_prefix(netuid, u32::MAX, None);
		let _ = WeightCommits::<T>::clear_prefix(netuid, u32::MAX, None);
		LastUpdate::<T>::remove(netuid);
		Incentive::<T>::remove(netuid);
		Dividends::<T>::remove(netuid);
		Consensus::<T>::remove(netuid);
		ValidatorTrust::<T>::remove(netuid);
		Active::<T>::remove(netuid);
		ValidatorPermit::<T>::remove(netuid);
		Emission::<T>::remove(netuid);
		LastEpoch::<T>::remove(netuid);
		DeferredEpochs::<T>::mutate(|queue| queue.retain(|n| *n != netuid));
	}
}

impl<T: Config> Pallet<T> {
	/// Invariants: rows sorted by UID and within the subnet, vectors no longer than the subnet,
	/// nothing stored for subnets that do not exist.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (netuid, uid, row) in Weights::<T>::iter().chain(Bonds::<T>::iter()) {
			ensure!(T::Subnets::exists(netuid), "row of a missing subnet");
			let n = T::Subnets::neuron_count(netuid);
			ensure!(uid < n, "row of a UID beyond the subnet");
			ensure!(row.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)), "row not sorted");
			ensure!(row.iter().all(|&(j, _)| j < n), "entry beyond the subnet");
		}
		for (netuid, updates) in LastUpdate::<T>::iter() {
			ensure!(T::Subnets::exists(netuid), "last update of a missing subnet");
			ensure!(updates.len() <= usize::from(T::Subnets::neuron_count(netuid)), "too long");
		}
		for (netuid, incentive) in Incentive::<T>::iter() {
			ensure!(
				incentive.len() <= usize::from(T::Subnets::neuron_count(netuid)),
				"outputs longer than the subnet"
			);
		}
		Ok(())
	}
}
