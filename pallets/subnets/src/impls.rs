//! [`SubnetInfo`] for the other pallets.

use alloc::vec::Vec;
use myelin_primitives::{BlockNumber, NetUid, SubnetHyperparams, SubnetInfo, Uid};

use crate::pallet::{
	Config, Hyperparams, Keys, Networks, Owner, Pallet, RegisteredAt, SubnetworkN, Uids,
};

impl<T: Config> SubnetInfo<T::AccountId> for Pallet<T> {
	fn exists(netuid: NetUid) -> bool {
		Networks::<T>::contains_key(netuid)
	}

	fn netuids() -> Vec<NetUid> {
		let mut netuids: Vec<NetUid> = Networks::<T>::iter_keys().collect();
		netuids.sort_unstable();
		netuids
	}

	fn owner(netuid: NetUid) -> Option<T::AccountId> {
		Networks::<T>::get(netuid).map(|info| info.owner)
	}

	fn hyperparams(netuid: NetUid) -> Option<SubnetHyperparams> {
		Hyperparams::<T>::get(netuid)
	}

	fn neuron_count(netuid: NetUid) -> u16 {
		SubnetworkN::<T>::get(netuid)
	}

	fn hotkey_of_uid(netuid: NetUid, uid: Uid) -> Option<T::AccountId> {
		Keys::<T>::get(netuid, uid)
	}

	fn uid_of_hotkey(netuid: NetUid, hotkey: &T::AccountId) -> Option<Uid> {
		Uids::<T>::get(netuid, hotkey)
	}

	fn hotkeys(netuid: NetUid) -> Vec<T::AccountId> {
		(0..SubnetworkN::<T>::get(netuid)).filter_map(|uid| Keys::<T>::get(netuid, uid)).collect()
	}

	fn registered_at(netuid: NetUid, uid: Uid) -> Option<BlockNumber> {
		RegisteredAt::<T>::get(netuid, uid)
	}

	fn hotkey_owner(hotkey: &T::AccountId) -> Option<T::AccountId> {
		Owner::<T>::get(hotkey)
	}
}
