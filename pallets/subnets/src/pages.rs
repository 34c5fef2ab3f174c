//! The [`Neurons`] pages: reading and writing one neuron, or all of a subnet's at once.

use alloc::vec::Vec;
use frame_support::pallet_prelude::DispatchResult;
use myelin_primitives::{
	subnets::{uid_page, uid_pages},
	NetUid, Uid,
};

use crate::{
	pallet::{Config, Error, Neurons, Pallet, SubnetworkN},
	Neuron,
};

impl<T: Config> Pallet<T> {
	/// The neuron holding `uid`, if `uid` is below the subnet's neuron count.
	pub fn neuron(netuid: NetUid, uid: Uid) -> Option<Neuron<T::AccountId>> {
		if uid >= SubnetworkN::<T>::get(netuid) {
			return None;
		}
		let (page, index) = uid_page(uid);
		Neurons::<T>::get(netuid, page).get(index).cloned()
	}

	/// Every neuron of the subnet, indexed by UID: one read per [`UID_PAGE`] UIDs.
	///
	/// [`UID_PAGE`]: myelin_primitives::subnets::UID_PAGE
	pub fn neurons(netuid: NetUid) -> Vec<Neuron<T::AccountId>> {
		let n = SubnetworkN::<T>::get(netuid);
		let mut neurons = Vec::with_capacity(usize::from(n));
		for page in 0..uid_pages(n) {
			neurons.extend(Neurons::<T>::get(netuid, page));
		}
		neurons.truncate(usize::from(n));
		neurons
	}

	/// Stores `neuron` at `uid`: replaces the neuron there, or appends it when `uid` is the next
	/// free one. UIDs are dense, so any other `uid` means the pages are inconsistent with the
	/// neuron count: nothing is written and the error fails the whole call (the burn included).
	pub(crate) fn put_neuron(
		netuid: NetUid,
		uid: Uid,
		neuron: Neuron<T::AccountId>,
	) -> DispatchResult {
		let (page, index) = uid_page(uid);
		Neurons::<T>::try_mutate(netuid, page, |entries| {
			let len = entries.len();
			match entries.get_mut(index) {
				Some(slot) => {
					*slot = neuron;
					Ok(())
				}
				None if index == len => {
					entries.try_push(neuron).map_err(|_| Error::<T>::NeuronSlotUnavailable.into())
				}
				None => Err(Error::<T>::NeuronSlotUnavailable.into()),
			}
		})
	}
}
