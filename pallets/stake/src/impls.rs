//! [`StakeInfo`] and [`OnNeuronChange`] for the other pallets (stake per subnet and by UID,
//! rewards accrued by UID) and the read views behind the runtime APIs.

use alloc::{collections::BTreeSet, vec::Vec};
use myelin_primitives::{
	Balance, NetUid, OnNeuronChange, StakeInfo, SubnetClearing, SubnetInfo, Uid,
};
use sp_runtime::DispatchError;

use crate::{
	pallet::{
		Config, Error, Pallet, Pools, Positions, StakedOn, SubnetStake, TotalColdkeyStake,
		TotalOwed, UidStakes,
	},
	Pool,
};

/// One position as the views show it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PositionView<AccountId> {
	/// The hotkey staked on.
	pub hotkey: AccountId,
	/// The coldkey staking.
	pub coldkey: AccountId,
	/// The subnet.
	pub netuid: NetUid,
	/// What the position is worth now: its principal plus owed rewards.
	pub value: Balance,
	/// The part held in the coldkey's account.
	pub principal: Balance,
}

impl<T: Config> Pallet<T> {
	/// Every position of `coldkey` (the take shares of the hotkeys it owns included), ordered
	/// by (hotkey, subnet).
	pub fn positions_of(coldkey: &T::AccountId) -> Vec<PositionView<T::AccountId>>
	where
		T::AccountId: Ord,
	{
		let mut pools: BTreeSet<(T::AccountId, NetUid)> =
			StakedOn::<T>::iter_key_prefix(coldkey).collect();
		for hotkey in T::Subnets::owned_hotkeys(coldkey) {
			for netuid in Self::pool_netuids(&hotkey) {
				let pool = Self::pool_with_accrued(&hotkey, netuid).unwrap_or_default();
				if pool.owner_shares > 0 {
					pools.insert((hotkey.clone(), netuid));
				}
			}
		}
		pools
			.into_iter()
			.filter_map(|(hotkey, netuid)| Self::position_view(coldkey, hotkey, netuid))
			.collect()
	}

	/// The subnets where `hotkey` has a pool or a UID that may have accrued rewards for one,
	/// ascending (reads every subnet and every dissolved subnet's pages: for views).
	fn pool_netuids(hotkey: &T::AccountId) -> BTreeSet<NetUid> {
		let mut netuids: BTreeSet<NetUid> = Pools::<T>::iter_key_prefix(hotkey).collect();
		netuids.extend(
			T::Subnets::netuids()
				.into_iter()
				.filter(|netuid| T::Subnets::uid_of_hotkey(*netuid, hotkey).is_some()),
		);
		// A dissolved subnet still clearing has no UIDs, but its pages may hold an accrual for
		// a pool not stored yet.
		let clearing: BTreeSet<NetUid> = UidStakes::<T>::iter_keys()
			.map(|(netuid, _)| netuid)
			.filter(|netuid| !netuids.contains(netuid) && T::Subnets::is_clearing(*netuid))
			.collect();
		for netuid in clearing {
			if Self::clearing_entry(netuid, hotkey).is_some_and(|entry| entry.accrued > 0) {
				netuids.insert(netuid);
			}
		}
		netuids
	}

	/// `hotkey`'s entry in the pages of a dissolved subnet still clearing, which no UID finds
	/// any more (reads every page: for views).
	fn clearing_entry(
		netuid: NetUid,
		hotkey: &T::AccountId,
	) -> Option<crate::UidStake<T::AccountId>> {
		UidStakes::<T>::iter_prefix_values(netuid)
			.find_map(|page| page.into_iter().find(|entry| &entry.hotkey == hotkey))
	}

	/// The principal `coldkey` holds over all its positions (its staked hold).
	pub fn coldkey_principal(coldkey: &T::AccountId) -> Balance {
		TotalColdkeyStake::<T>::get(coldkey)
	}

	/// Every staker of `hotkey` on every subnet (its owner by its take too), largest first,
	/// ties by subnet then coldkey.
	pub fn stakers(hotkey: &T::AccountId) -> Vec<PositionView<T::AccountId>>
	where
		T::AccountId: Ord,
	{
		let owner = T::Subnets::hotkey_owner(hotkey);
		let mut stakers = Vec::new();
		for netuid in Self::pool_netuids(hotkey) {
			let pool = Self::pool_with_accrued(hotkey, netuid).unwrap_or_default();
			let mut coldkeys: BTreeSet<T::AccountId> =
				Positions::<T>::iter_key_prefix((hotkey.clone(), netuid)).collect();
			if let Some(owner) = owner.as_ref().filter(|_| pool.owner_shares > 0) {
				coldkeys.insert(owner.clone());
			}
			stakers.extend(
				coldkeys
					.into_iter()
					.filter_map(|coldkey| Self::position_view(&coldkey, hotkey.clone(), netuid)),
			);
		}
		stakers.sort_by(|a, b| {
			b.value
				.cmp(&a.value)
				.then(a.netuid.cmp(&b.netuid))
				.then_with(|| a.coldkey.cmp(&b.coldkey))
		});
		stakers
	}

	/// Stake behind `hotkey` on every subnet where it has some: `(netuid, stake)`, ascending.
	pub fn hotkey_stake(hotkey: &T::AccountId) -> Vec<(NetUid, Balance)> {
		Self::pool_netuids(hotkey)
			.into_iter()
			.map(|netuid| (netuid, Self::stake_on(netuid, hotkey)))
			.filter(|(_, stake)| *stake > 0)
			.collect()
	}

	/// `coldkey`'s position on `hotkey` on `netuid` (with its take shares if it owns the
	/// hotkey), if it has one.
	pub fn position_view(
		coldkey: &T::AccountId,
		hotkey: T::AccountId,
		netuid: NetUid,
	) -> Option<PositionView<T::AccountId>> {
		let pool = Self::pool_with_accrued(&hotkey, netuid)?;
		let mut position =
			Positions::<T>::get((hotkey.clone(), netuid, coldkey.clone())).unwrap_or_default();
		if pool.owner_shares > 0 && T::Subnets::hotkey_owner(&hotkey).as_ref() == Some(coldkey) {
			position.shares = position.shares.saturating_add(pool.owner_shares);
		}
		(position.shares > 0).then(|| PositionView {
			value: position.value_in(&pool),
			principal: position.principal,
			coldkey: coldkey.clone(),
			hotkey,
			netuid,
		})
	}

	/// Credits one reward to `hotkey`'s UID on `netuid` ([`StakeInfo::credit_stakes`] for one
	/// UID).
	pub fn credit_stake(
		netuid: NetUid,
		hotkey: &T::AccountId,
		amount: Balance,
	) -> Result<(), DispatchError> {
		let uid = T::Subnets::uid_of_hotkey(netuid, hotkey).ok_or(Error::<T>::HotkeyNotOnSubnet)?;
		Self::accrue(netuid, &[(uid, amount)]).pop().unwrap_or(Ok(()))
	}

	/// The pool of (`hotkey`, `netuid`) as it will be once it took what its UID accrued (for
	/// views: on a dissolved subnet still clearing, it reads the subnet's pages).
	pub fn pool_with_accrued(hotkey: &T::AccountId, netuid: NetUid) -> Option<Pool> {
		let entry = match T::Subnets::uid_of_hotkey(netuid, hotkey) {
			Some(uid) => Self::uid_stake(netuid, uid),
			// A dissolved subnet's entries wait for its clearing, without UIDs to find them by.
			None if T::Subnets::is_clearing(netuid) => Self::clearing_entry(netuid, hotkey),
			None => None,
		};
		let accrued = entry.filter(|entry| &entry.hotkey == hotkey && entry.accrued > 0);
		match accrued {
			Some(entry) => Some(entry.pool),
			None => Pools::<T>::get(hotkey, netuid),
		}
	}
}

impl<T: Config> StakeInfo<T::AccountId, Balance> for Pallet<T> {
	fn stake_on(netuid: NetUid, hotkey: &T::AccountId) -> Balance {
		Self::pool_with_accrued(hotkey, netuid).map(|pool| pool.value).unwrap_or_default()
	}

	fn stakes(netuid: NetUid) -> Vec<Balance> {
		Self::stakes_by_uid(netuid)
	}

	fn credit_stakes(netuid: NetUid, credits: &[(Uid, Balance)]) -> Vec<Result<(), DispatchError>> {
		Self::accrue(netuid, credits)
	}

	fn owed() -> Balance {
		TotalOwed::<T>::get()
	}

	fn subnet_stake(netuid: NetUid) -> Balance {
		SubnetStake::<T>::get(netuid)
	}
}

impl<T: Config> OnNeuronChange<T::AccountId> for Pallet<T> {
	fn on_neuron_replaced(_: NetUid, _: Uid, _: &T::AccountId, _: &T::AccountId) {}

	/// The UID's previous holder's pool takes what the UID accrued; the new one starts afresh.
	fn on_neuron_registered(netuid: NetUid, uid: Uid, hotkey: &T::AccountId) {
		Self::record_neuron(netuid, uid, hotkey);
	}

	fn on_subnet_removed(_: NetUid) {}

	fn clear_subnet(netuid: NetUid, limit: u32) -> SubnetClearing {
		Self::clear_uid_stakes(netuid, limit)
	}
}
