//! What other pallets ask of this one: dropping a subnet's task and rounds when it is
//! dissolved. A replaced UID needs nothing: submissions are keyed by hotkey and a new neuron's
//! hotkey has none.

use myelin_primitives::{NetUid, OnNeuronChange, Uid};

use crate::pallet::{Config, CurrentRound, Pallet, Rounds, TaskSpecs};

impl<T: Config> OnNeuronChange<T::AccountId> for Pallet<T> {
	fn on_neuron_replaced(_: NetUid, _: Uid, _: &T::AccountId, _: &T::AccountId) {}

	fn on_subnet_removed(netuid: NetUid) {
		TaskSpecs::<T>::remove(netuid);
		CurrentRound::<T>::remove(netuid);
		let rounds: alloc::vec::Vec<_> =
			Rounds::<T>::drain_prefix(netuid).map(|(r, _)| r).collect();
		for round in rounds {
			Self::queue_prune(netuid, round);
		}
	}
}
