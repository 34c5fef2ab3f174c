//! The pallet's invariants, checked by `try_state` and after every block of the random runs.

use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use myelin_primitives::{Balance, NetUid, SubnetInfo, Uid};

use crate::{
	pallet::{
		Config, HoldReason, Pallet, PendingTake, Pools, Positions, StakedOn, SubnetStake, Take,
		TotalColdkeyStake, TotalOwed, UidStakes,
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
	/// 4. `TotalOwed` is Σ (pool value − pool principal) plus Σ accrued rewards, and each
	///    subnet's `SubnetStake` is Σ of its pools' values plus what its UIDs accrued;
	/// 5. every neuron of every subnet has its `UidStake`, with its hotkey, its pool's value and
	///    its hotkey's take, and no entry lies beyond the subnet's neurons.
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
		for (netuid, _, entries) in UidStakes::<T>::iter() {
			for entry in entries {
				let accrued = entry.accrued;
				owed = owed.saturating_add(accrued);
				if accrued > 0 {
					let on_subnet = by_subnet.entry(netuid).or_default();
					*on_subnet = on_subnet.saturating_add(accrued);
				}
			}
		}
		Self::check_uid_stakes()?;
		ensure!(TotalOwed::<T>::get() == owed, "TotalOwed differs from Σ owed by pools and UIDs");
		ensure!(
			SubnetStake::<T>::iter().collect::<BTreeMap<_, _>>() == by_subnet,
			"SubnetStake differs from Σ of the subnet's pools and accruals"
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

	/// Invariant 5: each subnet's `UidStakes` mirror its neurons, their pools and takes.
	fn check_uid_stakes() -> Result<(), sp_runtime::TryRuntimeError> {
		for netuid in T::Subnets::netuids() {
			let hotkeys = T::Subnets::hotkeys(netuid);
			for (uid, hotkey) in (0..Uid::MAX).zip(&hotkeys) {
				let entry = Self::uid_stake(netuid, uid).ok_or("a neuron has no UidStake")?;
				ensure!(&entry.hotkey == hotkey, "UidStake of another hotkey");
				let pool = Pools::<T>::get(hotkey, netuid).unwrap_or_default();
				if entry.accrued == 0 {
					ensure!(entry.pool == pool, "UidStake differs from its pool");
				} else {
					ensure!(
						Some(entry.pool.value) == pool.value.checked_add(entry.accrued),
						"UidStake's pool differs from its pool and what it accrued"
					);
					ensure!(entry.pool.principal == pool.principal, "accrual changed a principal");
				}
				ensure!(
					entry.take == Take::<T>::get(hotkey),
					"UidStake differs from its hotkey's take"
				);
				ensure!(
					entry.take_increase == PendingTake::<T>::get(hotkey),
					"UidStake differs from its hotkey's announced take"
				);
			}
			let recorded: usize = UidStakes::<T>::iter_prefix_values(netuid).map(|p| p.len()).sum();
			ensure!(recorded == hotkeys.len(), "UidStakes beyond the subnet's neurons");
		}
		Ok(())
	}
}
