//! The pallet's invariants, checked by `try_state` and after every block of the random runs.

use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use myelin_primitives::{Balance, NetUid};

use crate::{
	pallet::{
		Config, HoldReason, Pallet, Pools, Positions, StakedOn, SubnetStake, TotalColdkeyStake,
		TotalOwed,
	},
	Pool,
};

impl<T: Config> Pallet<T> {
	/// Invariants:
	/// 1. every pool's shares are its positions' plus its owner's take shares, its principal is
	///    its positions', its value covers every claim and its principal, and an empty pool is
	///    not stored;
	/// 2. no position's principal exceeds its value, no stored position is empty, and the
	///    coldkey index lists exactly the positions;
	/// 3. each coldkey's principal total is the sum of its positions' and equals its hold;
	/// 4. `TotalOwed` is Σ (pool value − pool principal), and each subnet's `SubnetStake` is
	///    Σ of its pools' values.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut sums = BTreeMap::<(T::AccountId, NetUid), Pool>::new();
		let mut principal_of = BTreeMap::<T::AccountId, Balance>::new();
		let mut positions = 0usize;
		for ((hotkey, netuid, coldkey), position) in Positions::<T>::iter() {
			positions = positions.saturating_add(1);
			ensure!(position.shares > 0, "empty position stored");
			let pool = Pools::<T>::get(&hotkey, netuid).ok_or("position without a pool")?;
			ensure!(position.principal <= position.value_in(&pool), "principal above value");
			ensure!(
				StakedOn::<T>::contains_key(&coldkey, (hotkey.clone(), netuid)),
				"position missing from StakedOn"
			);
			let sum = sums.entry((hotkey, netuid)).or_default();
			sum.shares = sum.shares.saturating_add(position.shares);
			sum.principal = sum.principal.saturating_add(position.principal);
			sum.value = sum.value.saturating_add(position.value_in(&pool));
			let total = principal_of.entry(coldkey).or_default();
			*total = total.saturating_add(position.principal);
		}
		ensure!(StakedOn::<T>::iter_keys().count() == positions, "StakedOn lists other positions");

		let mut owed: Balance = 0;
		let mut by_subnet = BTreeMap::<NetUid, Balance>::new();
		for (hotkey, netuid, pool) in Pools::<T>::iter() {
			let on_subnet = by_subnet.entry(netuid).or_default();
			*on_subnet = on_subnet.saturating_add(pool.value);
			ensure!(pool.shares > 0 && pool.value > 0, "empty pool stored");
			let sum = sums.get(&(hotkey, netuid)).copied().unwrap_or_default();
			ensure!(
				sum.shares.saturating_add(pool.owner_shares) == pool.shares,
				"pool shares differ from its positions' and its owner's"
			);
			ensure!(sum.principal == pool.principal, "pool principal differs from its positions'");
			let claims = sum.value.saturating_add(pool.value_of(pool.owner_shares));
			ensure!(claims <= pool.value, "positions claim more than their pool");
			ensure!(pool.principal <= pool.value, "pool principal above its value");
			owed = owed.saturating_add(pool.owed());
		}
		ensure!(TotalOwed::<T>::get() == owed, "TotalOwed differs from Σ pool value − principal");
		ensure!(
			SubnetStake::<T>::iter().collect::<BTreeMap<_, _>>() == by_subnet,
			"SubnetStake differs from Σ of the subnet's pools"
		);

		for (coldkey, principal) in &principal_of {
			ensure!(
				TotalColdkeyStake::<T>::get(coldkey) == *principal,
				"coldkey principal disagrees"
			);
			let held = T::Currency::balance_on_hold(&HoldReason::Staked.into(), coldkey);
			ensure!(held == *principal, "stake hold differs from recorded principal");
		}
		for (coldkey, total) in TotalColdkeyStake::<T>::iter() {
			ensure!(
				total > 0 && principal_of.contains_key(&coldkey),
				"principal without positions"
			);
		}
		Ok(())
	}
}
