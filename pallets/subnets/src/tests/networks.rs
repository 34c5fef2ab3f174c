//! Subnet registration: the lock cost curve, holds, rate and count limits, dissolution.

use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, Get},
};
use myelin_primitives::SubnetInfo;

use super::mock::*;
use crate::{pricing, Error, Event, HoldReason, Networks, SubnetLimit};

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::SubnetLock.into(), &who)
}

#[test]
fn lock_cost_curve_doubles_then_decays_linearly_to_the_minimum() {
	let min = 100;
	// First ever registration: nothing to double, the minimum applies.
	assert_eq!(pricing::lock_cost(min, 0, u32::MAX, 100), min);
	// Right after a registration at 400, the next one costs 800.
	assert_eq!(pricing::lock_cost(min, 400, 0, 100), 800);
	// Halfway through the interval: 800 − 400·½ = 600.
	assert_eq!(pricing::lock_cost(min, 400, 50, 100), 600);
	// After one interval: back to the last cost.
	assert_eq!(pricing::lock_cost(min, 400, 100, 100), 400);
	// Much later: never below the minimum.
	assert_eq!(pricing::lock_cost(min, 400, 1000, 100), min);
	// Monotone non-increasing in elapsed time.
	let mut previous = u128::MAX;
	for elapsed in 0..300 {
		let cost = pricing::lock_cost(min, 400, elapsed, 100);
		assert!(cost <= previous);
		previous = cost;
	}
	// No panic on extreme inputs; a zero interval drops the doubling at once.
	assert_eq!(pricing::lock_cost(min, u128::MAX, 0, 100), u128::MAX);
	assert_eq!(pricing::lock_cost(min, u128::MAX, u32::MAX, 1), min);
	assert_eq!(pricing::lock_cost(min, 400, 0, 0), 400);
}

#[test]
fn register_network_holds_the_lock_and_registers_the_owner_hotkey() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		assert_eq!(netuid, 1);
		assert_eq!(held(ALICE), MIN_LOCK);
		assert_eq!(Balances::free_balance(ALICE), RICH - MIN_LOCK);
		let info = Networks::<Test>::get(netuid).unwrap();
		assert_eq!((info.owner, info.owner_hotkey, info.lock), (ALICE, 11, MIN_LOCK));
		assert_eq!(Subnets::neuron(netuid, 0).map(|n| n.hotkey), Some(11));
		assert_eq!(crate::Owner::<Test>::get(11), Some(ALICE));
		assert_eq!(crate::Burn::<Test>::get(netuid), DefaultParams::get().min_burn);
		check_invariants();
	});
}

#[test]
fn each_registration_doubles_the_lock_and_it_decays_back() {
	new_test_ext().execute_with(|| {
		add_network(ALICE, 11);
		run_to_block(1 + NETWORK_RATE_LIMIT as u64);
		// 10 blocks after a 100-unit lock: 200 − 100·10/100 = 190.
		assert_eq!(Subnets::current_lock_cost(), 2 * MIN_LOCK - MIN_LOCK / 10);
		add_network(BOB, 12);
		assert_eq!(held(BOB), 190 * UNIT);
		run_to_block(1 + NETWORK_RATE_LIMIT as u64 + 2 * LOCK_INTERVAL as u64);
		assert_eq!(Subnets::current_lock_cost(), MIN_LOCK);
	});
}

#[test]
fn network_rate_limit_spaces_registrations() {
	new_test_ext().execute_with(|| {
		add_network(ALICE, 11);
		run_to_block(NETWORK_RATE_LIMIT as u64);
		consent(BOB, 12);
		assert_noop!(
			Subnets::register_network(RuntimeOrigin::signed(BOB), 12),
			Error::<Test>::NetworkRateLimitExceeded
		);
		run_to_block(1 + NETWORK_RATE_LIMIT as u64);
		consent(BOB, 12);
		assert_ok!(Subnets::register_network(RuntimeOrigin::signed(BOB), 12));
	});
}

#[test]
fn subnet_limit_caps_the_number_of_subnets() {
	new_test_ext().execute_with(|| {
		assert_ok!(Subnets::set_subnet_limit(RuntimeOrigin::root(), 1));
		assert_eq!(last_event(), Event::SubnetLimitSet { limit: 1 });
		add_network(ALICE, 11);
		run_to_block(100);
		consent(BOB, 12);
		assert_noop!(
			Subnets::register_network(RuntimeOrigin::signed(BOB), 12),
			Error::<Test>::SubnetLimitReached
		);
	});
}

#[test]
fn set_subnet_limit_is_bounded_and_governance_only() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Subnets::set_subnet_limit(RuntimeOrigin::root(), 9),
			Error::<Test>::SubnetLimitAboveMaximum
		);
		assert_noop!(
			Subnets::set_subnet_limit(RuntimeOrigin::signed(ALICE), 2),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_eq!(SubnetLimit::<Test>::get(), 8);
	});
}

#[test]
fn register_network_fails_without_funds_for_the_lock() {
	new_test_ext().execute_with(|| {
		consent(POOR, 11);
		assert_noop!(
			Subnets::register_network(RuntimeOrigin::signed(POOR), 11),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn register_network_rejects_a_hotkey_of_another_coldkey() {
	new_test_ext().execute_with(|| {
		add_network(ALICE, 11);
		run_to_block(100);
		consent(BOB, 11);
		assert_noop!(
			Subnets::register_network(RuntimeOrigin::signed(BOB), 11),
			Error::<Test>::HotkeyOwnedByAnotherColdkey
		);
	});
}

#[test]
fn dissolve_returns_the_lock_and_removes_everything() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		consent(BOB, 21);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 21, u128::MAX));
		assert_ok!(Subnets::serve_axon(
			RuntimeOrigin::signed(21),
			netuid,
			1,
			0x7f00_0001,
			8080,
			4,
			0
		));
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::signed(ALICE), netuid));

		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), RICH);
		assert!(Networks::<Test>::get(netuid).is_none());
		assert_eq!(crate::SubnetworkN::<Test>::get(netuid), 0);
		assert!(crate::Hyperparams::<Test>::get(netuid).is_none());
		assert!(!crate::Burn::<Test>::contains_key(netuid));
		assert_eq!(changes().last(), Some(&Change::Removed(netuid)));
		assert_eq!(changes().iter().filter(|c| matches!(c, Change::Removed(_))).count(), 1);
		assert_eq!(
			last_event(),
			Event::NetworkDissolved { netuid, owner: ALICE, lock_returned: MIN_LOCK }
		);
		// The neurons are gone at once for everyone asking, though their keys are cleared in
		// the next block.
		assert_eq!(<Subnets as SubnetInfo<_>>::uid_of_hotkey(netuid, &21), None);
		assert!(<Subnets as SubnetInfo<_>>::hotkeys(netuid).is_empty());
		assert!(<Subnets as SubnetInfo<_>>::is_clearing(netuid));
		Subnets::do_try_state().unwrap();
		run_to_block(System::block_number() + 1);
		assert_eq!(crate::Neurons::<Test>::iter_prefix(netuid).count(), 0);
		assert_eq!(crate::Uids::<Test>::iter_prefix(netuid).count(), 0);
		assert_eq!(crate::Axons::<Test>::iter_prefix(netuid).count(), 0);
		assert_eq!(last_event(), Event::NetworkCleared { netuid });
		assert!(!<Subnets as SubnetInfo<_>>::is_clearing(netuid));
		// Hotkey ownership is permanent.
		assert_eq!(crate::Owner::<Test>::get(21), Some(BOB));
		// The freed id is reused.
		run_to_block(100);
		assert_eq!(add_network(CHARLIE, 31), netuid);
		Subnets::do_try_state().unwrap();
	});
}

#[test]
fn a_dissolved_subnet_is_cleared_within_the_block_budget_before_its_netuid_is_reused() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		for (coldkey, hotkey) in [(BOB, 21), (CHARLIE, 31), (BOB, 22)] {
			consent(coldkey, hotkey);
			assert_ok!(Subnets::burned_register(
				RuntimeOrigin::signed(coldkey),
				netuid,
				hotkey,
				u128::MAX
			));
		}
		// Four neurons (one page of neurons and four UIDs: 5 keys here) and 507 keys in the
		// other pallets, at 16 keys per block.
		OTHER_KEYS.with(|k| *k.borrow_mut() = 507);
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::signed(ALICE), netuid));
		let budget: u32 = <Test as crate::Config>::MaxClearedPerBlock::get();
		assert_eq!(budget, 16);
		let start = System::block_number();

		run_to_block(start + 1);
		// This pallet's 5 keys first, then 11 of the others'.
		assert_eq!(crate::Neurons::<Test>::iter_prefix(netuid).count(), 0);
		assert_eq!(changes().last(), Some(&Change::Cleared(netuid, 11)));
		assert!(<Subnets as SubnetInfo<_>>::is_clearing(netuid));
		// Meanwhile a new subnet gets another netuid.
		run_to_block(start + 20);
		assert!(<Subnets as SubnetInfo<_>>::is_clearing(netuid));
		let other = add_network(CHARLIE, 33);
		assert_ne!(other, netuid);
		Subnets::do_try_state().unwrap();
		// 512 keys take 32 blocks.
		run_to_block(start + 31);
		assert!(<Subnets as SubnetInfo<_>>::is_clearing(netuid));
		run_to_block(start + 32);
		assert!(!<Subnets as SubnetInfo<_>>::is_clearing(netuid));
		let cleared: Vec<u32> = changes()
			.into_iter()
			.filter_map(|c| {
				if let Change::Cleared(n, k) = c {
					(n == netuid).then_some(k)
				} else {
					None
				}
			})
			.collect();
		assert_eq!(cleared.len(), 32);
		assert_eq!(cleared[0], 11);
		assert!(cleared[1..].iter().all(|&k| k == 16));
		assert!(System::events()
			.iter()
			.any(|r| r.event == RuntimeEvent::Subnets(Event::NetworkCleared { netuid })));
		run_to_block(start + 100);
		assert_eq!(add_network(BOB, 23), netuid);
		Subnets::do_try_state().unwrap();
	});
}

#[test]
fn dissolve_by_governance_and_errors() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		assert_noop!(
			Subnets::dissolve_network(RuntimeOrigin::signed(BOB), netuid),
			Error::<Test>::NotSubnetOwner
		);
		assert_noop!(
			Subnets::dissolve_network(RuntimeOrigin::root(), 7),
			Error::<Test>::SubnetNotFound
		);
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::root(), netuid));
		assert_eq!(held(ALICE), 0);
	});
}
