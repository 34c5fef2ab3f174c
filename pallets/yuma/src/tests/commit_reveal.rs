//! Commit-reveal: the reveal window, expiry, the per-hotkey bound, and mismatching reveals.

use super::mock::*;
use crate::{setting::commit_hash, Error, Event, WeightCommits, Weights as StoredWeights};
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;

const SALT: [u16; 3] = [7, 8, 9];

fn enable(reveal_period: u32) {
	for k in 2..=4 {
		register(NETUID, k);
	}
	grant_permit(NETUID, 0);
	let mut params = pallet_subnets::Hyperparams::<Test>::get(NETUID).unwrap();
	params.commit_reveal_enabled = true;
	params.reveal_period = reveal_period;
	pallet_subnets::Hyperparams::<Test>::insert(NETUID, params);
}

fn hash(uids: &[u16], values: &[u16]) -> H256 {
	commit_hash(&101u64, NETUID, uids, values, &SALT, 0)
}

fn commit(h: H256) -> frame_support::dispatch::DispatchResult {
	Yuma::commit_weights(RuntimeOrigin::signed(101), NETUID, h)
}

fn reveal(uids: Vec<u16>, values: Vec<u16>) -> frame_support::dispatch::DispatchResult {
	Yuma::reveal_weights(RuntimeOrigin::signed(101), NETUID, uids, values, SALT.to_vec(), 0)
}

#[test]
fn a_matching_reveal_in_the_window_sets_the_weights() {
	new_test_ext().execute_with(|| {
		enable(5);
		let h = hash(&[1, 2], &[3, 1]);
		assert_ok!(commit(h));
		assert_eq!(
			events().last(),
			Some(&Event::WeightsCommitted { netuid: NETUID, hotkey: 101, hash: h })
		);
		assert_noop!(reveal(vec![1, 2], vec![3, 1]), Error::<Test>::RevealTooEarly);
		System::set_block_number(3);
		assert_ok!(reveal(vec![1, 2], vec![3, 1]));
		assert_eq!(
			StoredWeights::<Test>::get(NETUID, 0).into_inner(),
			vec![(1, u16::MAX), (2, 21_845)]
		);
		assert!(!WeightCommits::<Test>::contains_key(NETUID, 101));
		// A commit is used once.
		assert_noop!(reveal(vec![1, 2], vec![3, 1]), Error::<Test>::NoMatchingCommit);
	});
}

#[test]
fn a_reveal_that_does_not_match_changes_nothing() {
	new_test_ext().execute_with(|| {
		enable(5);
		assert_ok!(commit(hash(&[1, 2], &[3, 1])));
		System::set_block_number(2);
		assert_noop!(reveal(vec![1, 2], vec![3, 2]), Error::<Test>::NoMatchingCommit);
		assert_noop!(
			Yuma::reveal_weights(
				RuntimeOrigin::signed(101),
				NETUID,
				vec![1, 2],
				vec![3, 1],
				vec![1],
				0
			),
			Error::<Test>::NoMatchingCommit
		);
		assert!(StoredWeights::<Test>::get(NETUID, 0).is_empty());
	});
}

#[test]
fn a_reveal_whose_vector_fails_the_checks_keeps_the_commit() {
	new_test_ext().execute_with(|| {
		enable(5);
		assert_ok!(commit(hash(&[1, 9], &[3, 1])));
		System::set_block_number(2);
		assert_noop!(reveal(vec![1, 9], vec![3, 1]), Error::<Test>::UidOutOfRange);
		assert_eq!(WeightCommits::<Test>::get(NETUID, 101).len(), 1);
	});
}

#[test]
fn commits_expire_after_the_reveal_period() {
	new_test_ext().execute_with(|| {
		enable(5);
		assert_ok!(commit(hash(&[1], &[1])));
		System::set_block_number(7);
		assert_noop!(reveal(vec![1], vec![1]), Error::<Test>::CommitExpired);
		System::set_block_number(6);
		assert_ok!(reveal(vec![1], vec![1]));
	});
}

#[test]
fn commits_are_bounded_and_expired_ones_make_room() {
	new_test_ext().execute_with(|| {
		enable(5);
		assert_ok!(commit(hash(&[1], &[1])));
		assert_noop!(commit(hash(&[1], &[1])), Error::<Test>::AlreadyCommitted);
		assert_ok!(commit(hash(&[2], &[1])));
		assert_noop!(commit(hash(&[3], &[1])), Error::<Test>::TooManyCommits);
		System::set_block_number(7);
		assert_ok!(commit(hash(&[3], &[1])));
		assert_eq!(WeightCommits::<Test>::get(NETUID, 101).len(), 1);
	});
}

#[test]
fn commit_reveal_calls_need_the_mode_and_a_registration() {
	new_test_ext().execute_with(|| {
		assert_noop!(commit(hash(&[1], &[1])), Error::<Test>::CommitRevealDisabled);
		assert_noop!(reveal(vec![1], vec![1]), Error::<Test>::CommitRevealDisabled);
		assert_noop!(
			Yuma::commit_weights(RuntimeOrigin::signed(101), 9, H256::zero()),
			Error::<Test>::SubnetNotFound
		);
		enable(5);
		assert_noop!(
			Yuma::commit_weights(RuntimeOrigin::signed(999), NETUID, H256::zero()),
			Error::<Test>::HotkeyNotRegistered
		);
	});
}
