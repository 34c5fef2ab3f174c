//! `set_weights`: every check, each with its own error and no state change.

use super::mock::*;
use crate::{Error, Event, Metrics, Weights as StoredWeights};
use frame_support::{assert_noop, assert_ok};

/// UID 0 = owner hotkey 101 (validator with a permit), UIDs 1..=4 = miners of coldkeys 2..=5.
fn setup() {
	for k in 2..=5 {
		register(NETUID, k);
	}
	grant_permit(NETUID, 0);
}

fn set(
	hotkey: AccountId,
	uids: Vec<u16>,
	values: Vec<u16>,
) -> frame_support::dispatch::DispatchResult {
	Yuma::set_weights(RuntimeOrigin::signed(hotkey), NETUID, uids, values, 0)
}

#[test]
fn stores_sorted_max_upscaled_weights_and_the_update_block() {
	new_test_ext().execute_with(|| {
		setup();
		System::set_block_number(7);
		assert_ok!(set(101, vec![3, 1, 2], vec![10, 40, 20]));
		assert_eq!(
			StoredWeights::<Test>::get(NETUID, 0).into_inner(),
			vec![(1, u16::MAX), (2, 32_767), (3, 16_383)]
		);
		assert_eq!(Metrics::<Test>::get(NETUID).last_update.into_inner(), vec![7]);
		assert_eq!(events().last(), Some(&Event::WeightsSet { netuid: NETUID, uid: 0, count: 3 }));
		check_invariants();
	});
}

#[test]
fn a_self_weight_needs_no_permit_and_no_minimum() {
	new_test_ext().execute_with(|| {
		setup();
		let mut params = pallet_subnets::Hyperparams::<Test>::get(NETUID).unwrap();
		params.min_allowed_weights = 3;
		pallet_subnets::Hyperparams::<Test>::insert(NETUID, params);
		// Hotkey 102 is UID 1, without a permit.
		assert_ok!(set(102, vec![1], vec![5]));
		assert_eq!(StoredWeights::<Test>::get(NETUID, 1).into_inner(), vec![(1, u16::MAX)]);
	});
}

#[test]
fn rejects_bad_vectors_without_changing_anything() {
	new_test_ext().execute_with(|| {
		setup();
		assert_noop!(
			Yuma::set_weights(RuntimeOrigin::signed(101), 9, vec![1], vec![1], 0),
			Error::<Test>::SubnetNotFound
		);
		assert_noop!(set(999, vec![1], vec![1]), Error::<Test>::HotkeyNotRegistered);
		assert_noop!(set(101, vec![1, 2], vec![1]), Error::<Test>::LengthMismatch);
		assert_noop!(set(101, vec![1, 1], vec![1, 2]), Error::<Test>::DuplicateUid);
		assert_noop!(set(101, vec![1, 5], vec![1, 2]), Error::<Test>::UidOutOfRange);
		assert_noop!(set(101, vec![1, 2], vec![0, 0]), Error::<Test>::AllWeightsZero);
		// UID 1 (hotkey 102) has no permit and weights someone else.
		assert_noop!(set(102, vec![2], vec![1]), Error::<Test>::NoValidatorPermit);
	});
}

#[test]
fn enforces_the_version_key() {
	new_test_ext().execute_with(|| {
		setup();
		let mut params = pallet_subnets::Hyperparams::<Test>::get(NETUID).unwrap();
		params.weights_version_key = 5;
		pallet_subnets::Hyperparams::<Test>::insert(NETUID, params);
		assert_noop!(
			Yuma::set_weights(RuntimeOrigin::signed(101), NETUID, vec![1], vec![1], 4),
			Error::<Test>::OutdatedVersionKey
		);
		assert_ok!(Yuma::set_weights(RuntimeOrigin::signed(101), NETUID, vec![1], vec![1], 5));
	});
}

#[test]
fn enforces_the_rate_limit() {
	new_test_ext().execute_with(|| {
		setup();
		let mut params = pallet_subnets::Hyperparams::<Test>::get(NETUID).unwrap();
		params.weights_set_rate_limit = 5;
		pallet_subnets::Hyperparams::<Test>::insert(NETUID, params);
		System::set_block_number(10);
		assert_ok!(set(101, vec![1], vec![1]));
		System::set_block_number(14);
		assert_noop!(set(101, vec![2], vec![1]), Error::<Test>::SettingWeightsTooFast);
		System::set_block_number(15);
		assert_ok!(set(101, vec![2], vec![1]));
	});
}

#[test]
fn enforces_the_minimum_number_of_weights() {
	new_test_ext().execute_with(|| {
		setup();
		let mut params = pallet_subnets::Hyperparams::<Test>::get(NETUID).unwrap();
		params.min_allowed_weights = 3;
		pallet_subnets::Hyperparams::<Test>::insert(NETUID, params);
		assert_noop!(set(101, vec![1, 2], vec![1, 1]), Error::<Test>::TooFewWeights);
		assert_ok!(set(101, vec![1, 2, 3], vec![1, 1, 1]));
	});
}

#[test]
fn enforces_the_max_weight_limit_on_each_share() {
	new_test_ext().execute_with(|| {
		setup();
		let mut params = pallet_subnets::Hyperparams::<Test>::get(NETUID).unwrap();
		params.max_weights_limit = u16::MAX / 2; // no UID may get more than half
		pallet_subnets::Hyperparams::<Test>::insert(NETUID, params);
		assert_noop!(set(101, vec![1, 2], vec![60, 40]), Error::<Test>::MaxWeightExceeded);
		assert_ok!(set(101, vec![1, 2, 3], vec![40, 30, 30]));
	});
}

#[test]
fn set_weights_is_refused_on_commit_reveal_subnets() {
	new_test_ext().execute_with(|| {
		setup();
		let mut params = pallet_subnets::Hyperparams::<Test>::get(NETUID).unwrap();
		params.commit_reveal_enabled = true;
		pallet_subnets::Hyperparams::<Test>::insert(NETUID, params);
		assert_noop!(set(101, vec![1], vec![1]), Error::<Test>::CommitRevealEnabled);
	});
}
