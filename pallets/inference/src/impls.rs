//! What other pallets ask of this one: dropping a subnet's task when it is dissolved, and its
//! rounds and submissions within the subnets pallet's clearing budget. A replaced UID needs
//! nothing: submissions are keyed by hotkey and a new neuron's hotkey has none.

use alloc::vec::Vec;
use myelin_primitives::{NetUid, OnNeuronChange, SubnetClearing, Uid};

use crate::pallet::{Config, CurrentRound, Pallet, PruneQueue, Rounds, Submissions, TaskSpecs};

impl<T: Config> OnNeuronChange<T::AccountId> for Pallet<T> {
	fn on_neuron_replaced(_: NetUid, _: Uid, _: &T::AccountId, _: &T::AccountId) {}

	fn on_subnet_removed(netuid: NetUid) {
		// No more rounds start, and none can be committed to or revealed.
		TaskSpecs::<T>::remove(netuid);
		CurrentRound::<T>::remove(netuid);
	}

	/// The subnet's kept rounds and every submission of its rounds, the ones already waiting in
	/// the prune queue included: until they are gone, a subnet registered under the same netuid
	/// (whose rounds restart at 1) would find them.
	fn clear_subnet(netuid: NetUid, limit: u32) -> SubnetClearing {
		let mut rounds: Vec<_> = Rounds::<T>::iter_key_prefix(netuid).collect();
		rounds.extend(
			PruneQueue::<T>::get().iter().filter(|(n, _)| *n == netuid).map(|&(_, round)| round),
		);
		rounds.sort_unstable();
		rounds.dedup();
		let mut progress = SubnetClearing { removed: 0, done: true };
		for round in rounds {
			let left = limit.saturating_sub(progress.removed);
			if left == 0 {
				progress.done = false;
				break;
			}
			let keys = Submissions::<T>::iter_key_prefix((netuid, round));
			let part = SubnetClearing::remove_keys(keys, left, |hotkey| {
				Submissions::<T>::remove((netuid, round), hotkey)
			});
			progress.add(part.removed, part.done);
			if part.done {
				Rounds::<T>::remove(netuid, round);
				PruneQueue::<T>::mutate(|queue| queue.retain(|&entry| entry != (netuid, round)));
				progress.add(2, true);
			}
		}
		progress
	}
}
