//! Neuron registration: dense UIDs, duplicates, hotkey ownership, unknown subnets.

use frame_support::{assert_noop, assert_ok};

use super::mock::*;
use crate::{Error, Event, Keys, Owner, RegisteredAt, SubnetworkN, Uids};

#[test]
fn uids_are_assigned_densely_in_registration_order() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		for (i, hotkey) in [21u64, 22, 23].into_iter().enumerate() {
			run_to_block(2 + i as u64);
			assert_ok!(Subnets::burned_register(
				RuntimeOrigin::signed(BOB),
				netuid,
				hotkey,
				u128::MAX
			));
			let uid = (i + 1) as u16;
			assert_eq!(Keys::<Test>::get(netuid, uid), Some(hotkey));
			assert_eq!(Uids::<Test>::get(netuid, hotkey), Some(uid));
			assert_eq!(RegisteredAt::<Test>::get(netuid, uid), Some(2 + i as u32));
			assert_eq!(Owner::<Test>::get(hotkey), Some(BOB));
		}
		assert_eq!(SubnetworkN::<Test>::get(netuid), 4);
		assert!(matches!(
			last_event(),
			Event::NeuronRegistered { uid: 3, hotkey: 23, coldkey: BOB, .. }
		));
		check_invariants();
	});
}

#[test]
fn a_hotkey_registers_once_per_subnet_but_on_many_subnets() {
	new_test_ext().execute_with(|| {
		let first = add_network(ALICE, 11);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), first, 21, u128::MAX));
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(BOB), first, 21, u128::MAX),
			Error::<Test>::AlreadyRegistered
		);
		run_to_block(20);
		let second = add_network(CHARLIE, 31);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), second, 21, u128::MAX));
		assert_eq!(Uids::<Test>::get(second, 21), Some(1));
	});
}

#[test]
fn a_hotkey_owned_by_another_coldkey_cannot_be_registered() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 21, u128::MAX));
		run_to_block(20);
		let other = add_network(CHARLIE, 31);
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(CHARLIE), other, 21, u128::MAX),
			Error::<Test>::HotkeyOwnedByAnotherColdkey
		);
	});
}

#[test]
fn registering_on_an_unknown_subnet_fails() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(BOB), 5, 21, u128::MAX),
			Error::<Test>::SubnetNotFound
		);
	});
}
