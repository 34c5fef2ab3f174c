//! Benchmarks of every call, each in its worst case: a pool with rewards owed (so withdrawals
//! both release and mint) and rewards its UID accrued (so the pool first takes them), in a full
//! page of stake by UID, positions on both sides of moves and transfers, and the rounding burn
//! of `settle`; the take calls on a hotkey registered on every subnet there can be.

// Benchmark setup, compiled only with `runtime-benchmarks`: panicking on a broken fixture and
// plain arithmetic on small component values are fine here.
#![allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::{PendingTake, Positions, UidStakes};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use myelin_primitives::subnets::{uid_page, UID_PAGE};
use myelin_primitives::units::MYL;
use sp_runtime::Perbill;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, 1_000_000 * MYL);
	who
}

/// A hotkey owned by a funded coldkey, registered on a new subnet, whose pool holds stake of
/// other stakers and owed rewards at a price that makes deposits round.
fn pool<T: Config>(index: u32) -> (T::AccountId, T::AccountId, NetUid) {
	let owner = funded::<T>("owner", index);
	let hotkey: T::AccountId = account("hotkey", index, 0);
	let netuid = T::BenchmarkHelper::register_hotkey(&owner, &hotkey);
	for i in 0..3 {
		let staker = funded::<T>("staker", index * 100 + i);
		let amount = T::MinStake::get() * 7 + Balance::from(i);
		Pallet::<T>::add_stake(RawOrigin::Signed(staker).into(), hotkey.clone(), netuid, amount)
			.expect("stake added");
	}
	Pallet::<T>::credit_stake(netuid, &hotkey, T::MinStake::get() * 3 + 1).expect("credited");
	// The owner's take shares wait in the pool: the owner's calls first take them.
	fill_page::<T>(&hotkey, netuid);
	(owner, hotkey, netuid)
}

/// Fills the page of stake by UID holding `hotkey`'s entry to `UID_PAGE` entries, as on a full
/// subnet: every flow reads and writes the whole page.
fn fill_page<T: Config>(hotkey: &T::AccountId, netuid: NetUid) {
	let uid = T::Subnets::uid_of_hotkey(netuid, hotkey).expect("registered");
	let (page, index) = uid_page(uid);
	UidStakes::<T>::mutate(netuid, page, |entries| {
		let template = entries.get(index).cloned().expect("the hotkey's entry");
		let mut i = 0;
		while entries.len() < usize::from(UID_PAGE) {
			let mut entry = template.clone();
			entry.hotkey = account("filler", i, netuid.into());
			entries.try_push(entry).expect("below UID_PAGE");
			i += 1;
		}
	});
}

/// Registers `hotkey` (owned by `owner`) on new subnets until no more can exist, each in a full
/// page of stake by UID: a take change rewrites every one of them.
fn on_every_subnet<T: Config>(owner: &T::AccountId, hotkey: &T::AccountId) {
	while T::Subnets::netuids().len() < usize::from(T::Subnets::max_subnets()) {
		let before = T::Subnets::netuids().len();
		let netuid = T::BenchmarkHelper::register_hotkey(owner, hotkey);
		if T::Subnets::netuids().len() == before {
			break;
		}
		fill_page::<T>(hotkey, netuid);
	}
	assert!(T::Subnets::netuids().len() > 1, "the hotkey is on several subnets");
}

fn position_value<T: Config>(
	coldkey: &T::AccountId,
	hotkey: &T::AccountId,
	netuid: NetUid,
) -> Balance {
	let pool = Pallet::<T>::pool_with_accrued(hotkey, netuid).unwrap_or_default();
	Positions::<T>::get((hotkey.clone(), netuid, coldkey.clone()))
		.map(|p| p.value_in(&pool))
		.unwrap_or_default()
}

/// `who` stakes on the pool and the pool earns, so `who`'s position holds owed rewards.
fn staked_with_rewards<T: Config>(
	who: &T::AccountId,
	hotkey: &T::AccountId,
	netuid: NetUid,
) -> Balance {
	let amount = T::MinStake::get() * 10;
	Pallet::<T>::add_stake(RawOrigin::Signed(who.clone()).into(), hotkey.clone(), netuid, amount)
		.expect("stake added");
	Pallet::<T>::credit_stake(netuid, hotkey, T::MinStake::get() * 5).expect("credited");
	position_value::<T>(who, hotkey, netuid)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_stake() {
		let (_, hotkey, netuid) = pool::<T>(0);
		let nominator = funded::<T>("nominator", 0);
		let amount = T::MinStake::get() * 10 + 1;

		#[extrinsic_call]
		_(RawOrigin::Signed(nominator.clone()), hotkey.clone(), netuid, amount);

		let value = position_value::<T>(&nominator, &hotkey, netuid);
		assert!(value > 0 && value <= amount);
	}

	#[benchmark]
	fn remove_stake() {
		let (_, hotkey, netuid) = pool::<T>(0);
		let nominator = funded::<T>("nominator", 0);
		let worth = staked_with_rewards::<T>(&nominator, &hotkey, netuid);

		// Everything: the principal is released and the rewards are minted.
		#[extrinsic_call]
		_(RawOrigin::Signed(nominator.clone()), hotkey.clone(), netuid, worth);

		assert_eq!(position_value::<T>(&nominator, &hotkey, netuid), 0);
	}

	#[benchmark]
	fn move_stake() {
		let (_, hotkey, netuid) = pool::<T>(0);
		let (_, to_hotkey, to_netuid) = pool::<T>(1);
		let nominator = funded::<T>("nominator", 0);
		staked_with_rewards::<T>(&nominator, &to_hotkey, to_netuid);
		let worth = staked_with_rewards::<T>(&nominator, &hotkey, netuid);
		let amount = worth - T::MinStake::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(nominator.clone()),
			hotkey.clone(),
			netuid,
			to_hotkey.clone(),
			to_netuid,
			amount,
		);

		assert_eq!(position_value::<T>(&nominator, &hotkey, netuid), T::MinStake::get());
	}

	#[benchmark]
	fn transfer_stake() {
		let (_, hotkey, netuid) = pool::<T>(0);
		let giver = funded::<T>("giver", 0);
		let receiver = funded::<T>("receiver", 0);
		staked_with_rewards::<T>(&receiver, &hotkey, netuid);
		let worth = staked_with_rewards::<T>(&giver, &hotkey, netuid);
		let amount = worth - T::MinStake::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(giver.clone()), receiver.clone(), hotkey.clone(), netuid, amount);

		assert_eq!(position_value::<T>(&giver, &hotkey, netuid), T::MinStake::get());
	}

	#[benchmark]
	fn decrease_take() {
		let (owner, hotkey, _) = pool::<T>(0);
		on_every_subnet::<T>(&owner, &hotkey);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), hotkey.clone(), Perbill::from_percent(1));

		assert_eq!(Pallet::<T>::take(&hotkey), Perbill::from_percent(1));
	}

	#[benchmark]
	fn increase_take() {
		let (owner, hotkey, _) = pool::<T>(0);
		on_every_subnet::<T>(&owner, &hotkey);
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
