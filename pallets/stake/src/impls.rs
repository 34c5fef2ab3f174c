//! [`StakeInfo`] for the other pallets (stake per subnet, O(1) reward crediting) and the read
//! views behind the runtime APIs.

use alloc::{collections::BTreeSet, vec::Vec};
use frame_support::storage::with_storage_layer;
use myelin_primitives::{Balance, NetUid, StakeInfo, SubnetInfo};
use sp_runtime::{ArithmeticError, DispatchError};

use crate::pallet::{
	Config, Event, Pallet, Pools, Positions, StakedOn, SubnetStake, TotalColdkeyStake, TotalOwed,
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
			for (netuid, pool) in Pools::<T>::iter_prefix(&hotkey) {
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
		for (netuid, pool) in Pools::<T>::iter_prefix(hotkey) {
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
		let mut stake: Vec<_> =
			Pools::<T>::iter_prefix(hotkey).map(|(netuid, pool)| (netuid, pool.value)).collect();
		stake.sort_unstable();
		stake
	}

	/// `coldkey`'s position on `hotkey` on `netuid` (with its take shares if it owns the
	/// hotkey), if it has one.
	pub fn position_view(
		coldkey: &T::AccountId,
		hotkey: T::AccountId,
		netuid: NetUid,
	) -> Option<PositionView<T::AccountId>> {
		let pool = Pools::<T>::get(&hotkey, netuid)?;
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

	/// Credits one reward to `hotkey`'s pool on `netuid` ([`StakeInfo::credit_stakes`] for
	/// one hotkey).
	pub fn credit_stake(
		netuid: NetUid,
		hotkey: &T::AccountId,
		amount: Balance,
	) -> Result<(), DispatchError> {
		let credits = [(hotkey.clone(), amount)];
		<Self as StakeInfo<T::AccountId, Balance>>::credit_stakes(netuid, &credits)
			.pop()
			.unwrap_or(Ok(()))
	}

	/// Credits one reward to `hotkey`'s pool on `netuid`: reads the pool and the take, writes
	/// the pool. Returns the new owed total. On error nothing changed.
	fn credit_pool(
		netuid: NetUid,
		hotkey: &T::AccountId,
		amount: Balance,
		owed: Balance,
	) -> Result<Balance, DispatchError> {
		let owed = owed.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
		let take = Self::take(hotkey).mul_floor(amount);
		let mut pool = Pools::<T>::get(hotkey, netuid).unwrap_or_default();
		pool.credit(amount.saturating_sub(take), take)?;
		Pools::<T>::insert(hotkey, netuid, pool);
		Ok(owed)
	}
}

impl<T: Config> StakeInfo<T::AccountId, Balance> for Pallet<T> {
	fn stake_on(netuid: NetUid, hotkey: &T::AccountId) -> Balance {
		Pools::<T>::get(hotkey, netuid).map(|pool| pool.value).unwrap_or_default()
	}

	fn credit_stakes(
		netuid: NetUid,
		credits: &[(T::AccountId, Balance)],
	) -> Vec<Result<(), DispatchError>> {
		let mut owed = TotalOwed::<T>::get();
		let owed_before = owed;
		let mut pools: u32 = 0;
		let results = credits
			.iter()
			.map(|(hotkey, amount)| {
				if *amount == 0 {
					return Ok(());
				}
				// Its own storage layer: a credit failing half-way leaves nothing behind.
				let credited =
					with_storage_layer(|| Self::credit_pool(netuid, hotkey, *amount, owed));
				credited.map(|total| {
					owed = total;
					pools = pools.saturating_add(1);
				})
			})
			.collect();
		TotalOwed::<T>::put(owed);
		// Everything credited was added to the subnet's pools.
		let credited = owed.saturating_sub(owed_before);
		if credited > 0 {
			// At most the supply: cannot overflow while the pools' values did not.
			let _ = Self::change_subnet_stake(netuid, credited, true);
			Self::deposit_event(Event::StakeCredited { netuid, pools, amount: credited });
		}
		results
	}

	fn owed() -> Balance {
		TotalOwed::<T>::get()
	}

	fn subnet_stake(netuid: NetUid) -> Balance {
		SubnetStake::<T>::get(netuid)
	}
}
