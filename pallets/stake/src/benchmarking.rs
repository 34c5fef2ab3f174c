//! Benchmarks of every call.

// Benchmark setup, compiled only with `runtime-benchmarks`: panicking on a broken fixture and
// plain arithmetic on small component values are fine here.
#![allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::{PendingTake, Stake};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use myelin_primitives::units::MYL;
use sp_runtime::Perbill;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, 1_000_000 * MYL);
	who
}

/// A registered hotkey owned by a funded coldkey.
fn hotkey<T: Config>() -> (T::AccountId, T::AccountId) {
	let owner = funded::<T>("owner", 0);
	let hotkey: T::AccountId = account("hotkey", 0, 0);
	T::BenchmarkHelper::register_hotkey(&owner, &hotkey);
	(owner, hotkey)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_stake() {
		let (_, hotkey) = hotkey::<T>();
		let nominator = funded::<T>("nominator", 0);
		let amount = T::MinStake::get().saturating_mul(10);

		#[extrinsic_call]
		_(RawOrigin::Signed(nominator.clone()), hotkey.clone(), amount);

		assert_eq!(Stake::<T>::get(&hotkey, &nominator), amount);
	}

	#[benchmark]
	fn remove_stake() {
		let (_, hotkey) = hotkey::<T>();
		let nominator = funded::<T>("nominator", 0);
		let amount = T::MinStake::get().saturating_mul(10);
		Pallet::<T>::add_stake(RawOrigin::Signed(nominator.clone()).into(), hotkey.clone(), amount)
			.expect("stake added");

		#[extrinsic_call]
		_(RawOrigin::Signed(nominator.clone()), hotkey.clone(), amount);

		assert_eq!(Stake::<T>::get(&hotkey, &nominator), 0);
	}

	#[benchmark]
	fn decrease_take() {
		let (owner, hotkey) = hotkey::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), hotkey.clone(), Perbill::from_percent(1));

		assert_eq!(Pallet::<T>::take(&hotkey), Perbill::from_percent(1));
	}

	#[benchmark]
	fn increase_take() {
		let (owner, hotkey) = hotkey::<T>();
		// Worst case: a matured announcement is settled before the new one is stored.
		crate::pallet::Take::<T>::insert(&hotkey, Perbill::from_percent(1));
		PendingTake::<T>::insert(&hotkey, (Perbill::from_percent(2), 0));
		frame_system::Pallet::<T>::set_block_number(1_000_000u32.into());
		let take = T::MaxTake::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), hotkey.clone(), take);

		assert_eq!(Pallet::<T>::take(&hotkey), Perbill::from_percent(2));
		assert!(PendingTake::<T>::get(&hotkey).is_some_and(|(pending, _)| pending == take));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
