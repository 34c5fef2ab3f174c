//! The [`Neurons`] pages: reading and writing one neuron, or all of a subnet's at once.

use alloc::vec::Vec;
use myelin_primitives::{
	subnets::{uid_page, uid_pages},
	NetUid, Uid,
};

use crate::{
	pallet::{Config, Neurons, Pallet, SubnetworkN},
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
	/// free one. UIDs are dense, so any other `uid` is a bug upstream: nothing is written and
	/// `false` returned.
	pub(crate) fn put_neuron(netuid: NetUid, uid: Uid, neuron: Neuron<T::AccountId>) -> bool {
		let (page, index) = uid_page(uid);
		Neurons::<T>::mutate(netuid, page, |entries| {
			let len = entries.len();
			match entries.get_mut(index) {
				Some(slot) => {
					*slot = neuron;
					true
				}
				None if index == len => entries.try_push(neuron).is_ok(),
				None => false,
			}
		})
	}
}
