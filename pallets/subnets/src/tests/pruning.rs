//! Pruning on a full subnet: lowest emission first, then oldest, then lowest UID; immunity.

use frame_support::{assert_noop, assert_ok};

use super::mock::*;
use crate::{Axons, Error, Event, Neurons, SubnetworkN, Uids};

/// A full 4-UID subnet: owner hotkey 11 at block 1, then 21, 22, 23 at blocks 2, 3, 4.
fn full_subnet() -> u16 {
	let netuid = add_network(ALICE, 11);
	for (i, hotkey) in [21u64, 22, 23].into_iter().enumerate() {
		run_to_block(2 + i as u64);
		consent(BOB, hotkey);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, hotkey, u128::MAX));
	}
	assert_eq!(SubnetworkN::<Test>::get(netuid), 4);
	netuid
}

#[test]
fn the_lowest_emission_non_immune_neuron_is_replaced() {
	new_test_ext().execute_with(|| {
		let netuid = full_subnet();
		for (uid, emission) in [(0, 50), (1, 40), (2, 10), (3, 30)] {
			set_emission(netuid, uid, emission);
		}
		run_to_block(100); // everyone past the 10-block immunity
		assert_ok!(Subnets::serve_axon(RuntimeOrigin::signed(22), netuid, 1, 0x0a00_0001, 1, 4, 0));
		consent(CHARLIE, 31);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(CHARLIE), netuid, 31, u128::MAX));

		assert_eq!(SubnetworkN::<Test>::get(netuid), 4, "a full subnet stays full");
		assert_eq!(Subnets::neuron(netuid, 2).map(|n| n.hotkey), Some(31));
		assert_eq!(Uids::<Test>::get(netuid, 31), Some(2));
		assert_eq!(Uids::<Test>::get(netuid, 22), None);
		assert_eq!(Axons::<Test>::get(netuid, 22), None);
		assert_eq!(Subnets::neuron(netuid, 2).map(|n| n.registered_at), Some(100));
		// The old neuron's data goes first, then the new one is announced.
		assert!(changes()
			.ends_with(&[Change::Replaced(netuid, 2, 22, 31), Change::Registered(netuid, 2, 31)]));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Subnets(Event::NeuronReplaced {
				netuid,
				uid: 2,
				old_hotkey: 22,
				new_hotkey: 31
			})));
		check_invariants();
	});
}

#[test]
fn ties_go_to_the_oldest_registration_then_the_lowest_uid() {
	new_test_ext().execute_with(|| {
		let netuid = full_subnet();
		run_to_block(100);
		// All emissions equal (zero): the oldest is UID 0 (block 1).
		assert_eq!(Subnets::pruning_candidate(netuid, 4, 10), Some(0));
		// Give UID 0 emission: next oldest is UID 1.
		set_emission(netuid, 0, 5);
		assert_eq!(Subnets::pruning_candidate(netuid, 4, 10), Some(1));
		// Same registration block for UIDs 2 and 3: the lower UID goes first.
		Neurons::<Test>::mutate(netuid, 0, |page| page[3].registered_at = 3);
		set_emission(netuid, 1, 5);
		assert_eq!(Subnets::pruning_candidate(netuid, 4, 10), Some(2));
	});
}

#[test]
fn immune_neurons_are_skipped_even_with_lower_emission() {
	new_test_ext().execute_with(|| {
		let netuid = full_subnet();
		set_emission(netuid, 0, 100);
		set_emission(netuid, 1, 100);
		set_emission(netuid, 2, 100);
		set_emission(netuid, 3, 0);
		// Block 13: UIDs 0-2 (blocks 1-3) are past the 10-block immunity, UID 3 (block 4) is not.
		run_to_block(13);
		consent(CHARLIE, 31);
		assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(CHARLIE), netuid, 31, u128::MAX));
		assert_eq!(Subnets::neuron(netuid, 3).map(|n| n.hotkey), Some(23), "immune neuron kept");
		assert_eq!(
			Subnets::neuron(netuid, 0).map(|n| n.hotkey),
			Some(31),
			"oldest of equal emission replaced"
		);
	});
}

#[test]
fn a_full_subnet_of_immune_neurons_rejects_registration() {
	new_test_ext().execute_with(|| {
		let netuid = full_subnet();
		consent(CHARLIE, 31);
		assert_noop!(
			Subnets::burned_register(RuntimeOrigin::signed(CHARLIE), netuid, 31, u128::MAX),
			Error::<Test>::AllNeuronsImmune
		);
	});
}
