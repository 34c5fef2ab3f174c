//! Benchmarks of the calls, the per-block accrual and the crediting of a payout.

// Benchmark setup, compiled only with `runtime-benchmarks`: panicking on a broken fixture and
// plain arithmetic on small component values are fine here.
#![allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::{Split, Subnets as Accounts, Unminted};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get, Hooks},
	BoundedBTreeMap,
};
use sp_runtime::Perbill;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_split_mode() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, SplitMode::Equal);

		assert_eq!(Split::<T>::get(), SplitMode::Equal);
		Ok(())
	}

	#[benchmark]
	fn set_owner_cut() -> Result<(), BenchmarkError> {
		let netuid = T::BenchmarkHelper::subnet();
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, netuid, Perbill::from_percent(10));

		assert!(pallet::OwnerCut::<T>::contains_key(netuid));
		Ok(())
	}

	/// Accruing a block's emission to `s` eligible subnets.
	#[benchmark]
	fn on_initialize(s: Linear<1, { MaxSubnetsOf::<T>::get() }>) {
		let mut accounts = BoundedBTreeMap::new();
		for netuid in 0..s {
			let account = SubnetAccount {
				stake: Balance::from(netuid).saturating_add(1),
				pending: 0,
				stake_at_epoch: Balance::from(netuid).saturating_add(2),
			};
			accounts.try_insert(netuid as NetUid, account).expect("within MaxSubnets");
			// Every subnet still holds its stake: the split reads and uses each.
			T::BenchmarkHelper::set_subnet_stake(netuid as NetUid, Balance::from(netuid) + 1);
		}
		Accounts::<T>::put(accounts);

		#[block]
		{
			Pallet::<T>::on_initialize(1u32.into());
		}

		assert!(Unminted::<T>::get() > 0);
	}

	/// Crediting one payout to a hotkey whose pool has `p` stakers: its cost must not grow
	/// with `p`.
	#[benchmark]
	fn credit(p: Linear<0, 10_000>) {
		let (netuid, hotkey) = T::BenchmarkHelper::hotkey_with_stakers(p);
		let amount: Balance = 1_000_000_000_000;
		let before = T::Stake::stake_on(netuid, &hotkey);
		Unminted::<T>::put(amount);
		pallet::TotalEmitted::<T>::put(amount);

		let uid = T::Subnets::uid_of_hotkey(netuid, &hotkey).expect("registered");

		#[block]
		{
			Pallet::<T>::credit(netuid, &[(uid, hotkey.clone(), amount)]);
		}

		assert_eq!(T::Stake::stake_on(netuid, &hotkey), before + amount);
		assert_eq!(Unminted::<T>::get(), 0);
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
