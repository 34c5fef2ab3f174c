//! [`SubnetInfo`] for the other pallets, and the read getters the runtime's views use.

use alloc::vec::Vec;
use frame_support::traits::Get;
use myelin_primitives::{
	AxonInfo, Balance, BlockNumber, NetUid, SubnetHyperparams, SubnetInfo, Uid,
};

use crate::{
	pallet::{
		Axons, Burn, Clearing, Config, Hyperparams, Networks, OwnedHotkeys, Owner, Pallet,
		SubnetLimit, SubnetworkN, Uids,
	},
	NetworkInfo,
};

impl<T: Config> Pallet<T> {
	/// Every subnet with its registration record, ascending by netuid.
	pub fn networks() -> Vec<(NetUid, NetworkInfo<T::AccountId>)> {
		let mut networks: Vec<_> = Networks::<T>::iter().collect();
		networks.sort_unstable_by_key(|(netuid, _)| *netuid);
		networks
	}

	/// The current registration burn of `netuid` (`None`: no such subnet).
	pub fn burn(netuid: NetUid) -> Option<Balance> {
		Networks::<T>::contains_key(netuid).then(|| Burn::<T>::get(netuid))
	}

	/// How many subnets may exist now.
	pub fn subnet_limit() -> u16 {
		SubnetLimit::<T>::get()
	}

	/// The endpoint `hotkey` advertised on `netuid`.
	pub fn axon(netuid: NetUid, hotkey: &T::AccountId) -> Option<AxonInfo> {
		Axons::<T>::get(netuid, hotkey)
	}
}

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

	// A dissolved subnet's per-UID keys linger until cleared; its neuron count is zero at once,
	// so every per-UID answer checks the UID against it (`Pallet::neuron` does).
	fn hotkey_of_uid(netuid: NetUid, uid: Uid) -> Option<T::AccountId> {
		Self::neuron(netuid, uid).map(|neuron| neuron.hotkey)
	}

	fn uid_of_hotkey(netuid: NetUid, hotkey: &T::AccountId) -> Option<Uid> {
		Uids::<T>::get(netuid, hotkey).filter(|&uid| uid < SubnetworkN::<T>::get(netuid))
	}

	fn hotkeys(netuid: NetUid) -> Vec<T::AccountId> {
		Self::neurons(netuid).into_iter().map(|neuron| neuron.hotkey).collect()
	}

	fn neurons(netuid: NetUid) -> Vec<(T::AccountId, BlockNumber)> {
		Self::neurons(netuid)
			.into_iter()
			.map(|neuron| (neuron.hotkey, neuron.registered_at))
			.collect()
	}

	fn hotkey_owner(hotkey: &T::AccountId) -> Option<T::AccountId> {
		Owner::<T>::get(hotkey)
	}

	fn owned_hotkeys(coldkey: &T::AccountId) -> Vec<T::AccountId> {
		OwnedHotkeys::<T>::iter_key_prefix(coldkey).collect()
	}

	fn max_subnets() -> u16 {
		T::MaxSubnets::get()
	}

	fn is_clearing(netuid: NetUid) -> bool {
		Clearing::<T>::get().contains(&netuid)
	}
}
