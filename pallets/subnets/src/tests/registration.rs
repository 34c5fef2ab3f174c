//! Neuron registration: dense UIDs, duplicates, hotkey ownership, unknown subnets.

use frame_support::{assert_noop, assert_ok};

use super::mock::*;
use crate::{Error, Event, Owner, SubnetworkN, Uids};

#[test]
fn uids_are_assigned_densely_in_registration_order() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		for (i, hotkey) in [21u64, 22, 23].into_iter().enumerate() {
			run_to_block(2 + i as u64);
			consent(BOB, hotkey);
			assert_ok!(Subnets::burned_register(
				RuntimeOrigin::signed(BOB),
				netuid,
				hotkey,
				u128::MAX
			));
			let uid = (i + 1) as u16;
			assert_eq!(Subnets::neuron(netuid, uid).map(|n| n.hotkey), Some(hotkey));
			assert_eq!(Uids::<Test>::get(netuid, hotkey), Some(uid));
			assert_eq!(Subnets::neuron(netuid, uid).map(|n| n.registered_at), Some(2 + i as u32));
			assert_eq!(Owner::<Test>::get(hotkey), Some(BOB));
		}
		assert_eq!(SubnetworkN::<Test>::get(netuid), 4);
		assert!(matches!(
			last_event(),
			Event::NeuronRegistered { uid: 3, hotkey: 23, coldkey: BOB, .. }
		));
		// Every pallet was told of each UID, the owner's UID 0 included.
		let registered: Vec<_> = changes()
			.into_iter()
			.filter(|c| matches!(c, Change::Registered(n, ..) if *n == netuid))
			.collect();
		assert_eq!(
			registered,
			[(0, 11), (1, 21), (2, 22), (3, 23)].map(|(u, h)| Change::Registered(netuid, u, h))
		);
		check_invariants();
	});
}

#[test]
fn a_hotkey_registers_once_per_subnet_but_on_many_subnets() {
	new_test_ext().execute_with(|| {
		let first = add_network(ALICE, 11);
		consent(BOB, 21);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), first, 21, u128::MAX));
		consent(BOB, 21);
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(BOB), first, 21, u128::MAX),
			Error::<Test>::AlreadyRegistered
		);
		run_to_block(20);
		let second = add_network(CHARLIE, 31);
		consent(BOB, 21);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), second, 21, u128::MAX));
		assert_eq!(Uids::<Test>::get(second, 21), Some(1));
	});
}

#[test]
fn a_hotkey_owned_by_another_coldkey_cannot_be_registered() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		consent(BOB, 21);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 21, u128::MAX));
		run_to_block(20);
		let other = add_network(CHARLIE, 31);
		consent(CHARLIE, 21);
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(CHARLIE), other, 21, u128::MAX),
			Error::<Test>::HotkeyOwnedByAnotherColdkey
		);
	});
}

#[test]
fn registering_on_an_unknown_subnet_fails() {
	new_test_ext().execute_with(|| {
		consent(BOB, 21);
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(BOB), 5, 21, u128::MAX),
			Error::<Test>::SubnetNotFound
		);
	});
}

#[test]
fn a_hotkey_nobody_owns_needs_its_consent() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		// Bob names Charlie's miner key without its consent: refused, on a subnet and for a new
		// subnet alike.
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 31, u128::MAX),
			Error::<Test>::HotkeyNotAssociated
		);
		run_to_block(100);
		assert_noop!(
			Subnets::register_network(RuntimeOrigin::signed(BOB), 31),
			Error::<Test>::HotkeyNotAssociated
		);
		// A coldkey may always use itself as its hotkey.
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, BOB, u128::MAX));
		assert_eq!(crate::Owner::<Test>::get(BOB), Some(BOB));
	});
}

#[test]
fn consent_binds_the_hotkey_to_the_coldkey_it_signed_for() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		// A signature for another coldkey, or by another key, proves nothing.
		assert_noop!(
			Subnets::associate_hotkey(
				RuntimeOrigin::signed(BOB),
				31,
				consent_signature(CHARLIE, 31)
			),
			Error::<Test>::BadHotkeySignature
		);
		assert_noop!(
			Subnets::associate_hotkey(RuntimeOrigin::signed(BOB), 31, consent_signature(BOB, 32)),
			Error::<Test>::BadHotkeySignature
		);
		// Nor does a consent given on another chain.
		let elsewhere = crate::hotkey_consent_payload(&sp_core::H256::repeat_byte(7), &BOB);
		assert_noop!(
			Subnets::associate_hotkey(
				RuntimeOrigin::signed(BOB),
				31,
				sp_runtime::testing::TestSignature(31, elsewhere)
			),
			Error::<Test>::BadHotkeySignature
		);
		assert_ok!(Subnets::associate_hotkey(
			RuntimeOrigin::signed(CHARLIE),
			31,
			consent_signature(CHARLIE, 31)
		));
		assert_eq!(last_event(), Event::HotkeyAssociated { hotkey: 31, coldkey: CHARLIE });
		assert_eq!(crate::Owner::<Test>::get(31), Some(CHARLIE));
		assert!(crate::OwnedHotkeys::<Test>::contains_key(CHARLIE, 31));
		// Replaying the consent for the same coldkey changes nothing; for another it cannot.
		assert_ok!(Subnets::associate_hotkey(
			RuntimeOrigin::signed(CHARLIE),
			31,
			consent_signature(CHARLIE, 31)
		));
		assert_noop!(
			Subnets::associate_hotkey(RuntimeOrigin::signed(BOB), 31, consent_signature(BOB, 31)),
			Error::<Test>::HotkeyOwnedByAnotherColdkey
		);
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 31, u128::MAX),
			Error::<Test>::HotkeyOwnedByAnotherColdkey
		);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(CHARLIE), netuid, 31, u128::MAX));
		check_invariants();
	});
}

#[test]
fn pages_out_of_step_with_the_count_fail_the_registration_and_keep_the_burn() {
	new_test_ext().execute_with(|| {
		let netuid = add_network(ALICE, 11);
		consent(BOB, 21);
		consent(BOB, 22);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 21, u128::MAX));
		// A page shorter than the neuron count (a broken store): UID 2 has no slot to go to.
		crate::Neurons::<Test>::mutate(netuid, 0, |page| {
			page.pop();
		});
		let balance = Balances::free_balance(BOB);
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 22, u128::MAX),
			Error::<Test>::NeuronSlotUnavailable
		);
		assert_eq!(Balances::free_balance(BOB), balance, "nothing burned");
		assert_eq!(Uids::<Test>::get(netuid, 22), None);
		assert_eq!(SubnetworkN::<Test>::get(netuid), 2);
	});
}
