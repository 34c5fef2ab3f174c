//! Commit-reveal: commits belong to an epoch, reveal after the next one within the reveal
//! period, one commit per epoch, and mismatching reveals change nothing.

use super::mock::*;
use crate::{
	setting::commit_hash, EpochIndex, Error, Event, MaxSaltWords, WeightCommits,
	Weights as StoredWeights,
};
use codec::{Decode, Encode};
use frame_support::{assert_noop, assert_ok, traits::Get};
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

/// The hash of hotkey 101's vector for the subnet's current epoch.
fn hash(uids: &[u16], values: &[u16]) -> H256 {
	commit_hash(&101u64, NETUID, Yuma::epoch_index(NETUID), uids, values, &SALT, 0)
}

fn commit(h: H256) -> frame_support::dispatch::DispatchResult {
	Yuma::commit_weights(RuntimeOrigin::signed(101), NETUID, h)
}

fn reveal(uids: Vec<u16>, values: Vec<u16>) -> frame_support::dispatch::DispatchResult {
	let salt = SALT.to_vec().try_into().unwrap();
	Yuma::reveal_weights(RuntimeOrigin::signed(101), NETUID, uids, values, salt, 0)
}

/// Moves the subnet's epoch index on by one, as its next epoch would.
fn next_epoch() {
	EpochIndex::<Test>::mutate(NETUID, |e| *e += 1);
	System::set_block_number(System::block_number() + 1);
}

#[test]
fn a_matching_reveal_after_the_next_epoch_sets_the_weights() {
	new_test_ext().execute_with(|| {
		enable(2);
		stake(NETUID, 1, 100); // keeps UID 0's permit through the epoch
		let h = hash(&[1, 2], &[3, 1]);
		assert_ok!(commit(h));
		assert_eq!(
			events().last(),
			Some(&Event::WeightsCommitted { netuid: NETUID, hotkey: 101, hash: h, epoch: 0 })
		);
		// Later blocks of the same epoch are still too early.
		System::set_block_number(5);
		assert_noop!(reveal(vec![1, 2], vec![3, 1]), Error::<Test>::RevealTooEarly);
		// The epoch index counts the subnet's real epochs.
		run_to_epoch(NETUID);
		assert_eq!(Yuma::epoch_index(NETUID), 1);
		assert_ok!(reveal(vec![1, 2], vec![3, 1]));
		assert_eq!(
			StoredWeights::<Test>::get(NETUID, 0).into_inner(),
			vec![(1, u16::MAX), (2, 21_845)]
		);
		assert!(!WeightCommits::<Test>::contains_key(NETUID, 101));
		// A commit is used once.
		assert_noop!(reveal(vec![1, 2], vec![3, 1]), Error::<Test>::NoMatchingCommit);
		check_invariants();
	});
}

#[test]
fn a_reveal_that_does_not_match_changes_nothing() {
	new_test_ext().execute_with(|| {
		enable(2);
		assert_ok!(commit(hash(&[1, 2], &[3, 1])));
		next_epoch();
		assert_noop!(reveal(vec![1, 2], vec![3, 2]), Error::<Test>::NoMatchingCommit);
		assert_noop!(
			Yuma::reveal_weights(
				RuntimeOrigin::signed(101),
				NETUID,
				vec![1, 2],
				vec![3, 1],
				vec![1].try_into().unwrap(),
				0
			),
			Error::<Test>::NoMatchingCommit
		);
		// Another hotkey cannot reveal 101's commit.
		assert_noop!(
			Yuma::reveal_weights(
				RuntimeOrigin::signed(102),
				NETUID,
				vec![1, 2],
				vec![3, 1],
				SALT.to_vec().try_into().unwrap(),
				0
			),
			Error::<Test>::NoMatchingCommit
		);
		assert!(StoredWeights::<Test>::get(NETUID, 0).is_empty());
	});
}

#[test]
fn the_hash_binds_the_epoch_it_was_committed_in() {
	new_test_ext().execute_with(|| {
		enable(2);
		// A hash prepared for a later epoch (or replayed from an earlier one) matches nothing.
		let later = commit_hash(&101u64, NETUID, 1, &[1], &[1], &SALT, 0);
		assert_ok!(commit(later));
		next_epoch();
		assert_noop!(reveal(vec![1], vec![1]), Error::<Test>::NoMatchingCommit);
		assert_eq!(WeightCommits::<Test>::get(NETUID, 101).len(), 1);
	});
}

#[test]
fn a_reveal_whose_vector_fails_the_checks_keeps_the_commit() {
	new_test_ext().execute_with(|| {
		enable(2);
		assert_ok!(commit(hash(&[1, 9], &[3, 1])));
		next_epoch();
		assert_noop!(reveal(vec![1, 9], vec![3, 1]), Error::<Test>::UidOutOfRange);
		assert_eq!(WeightCommits::<Test>::get(NETUID, 101).len(), 1);
	});
}

#[test]
fn commits_expire_after_the_reveal_period() {
	new_test_ext().execute_with(|| {
		enable(2);
		assert_ok!(commit(hash(&[1], &[1])));
		next_epoch();
		next_epoch();
		next_epoch();
		assert_noop!(reveal(vec![1], vec![1]), Error::<Test>::CommitExpired);
		// The last epoch of the period still reveals.
		EpochIndex::<Test>::insert(NETUID, 2);
		assert_ok!(reveal(vec![1], vec![1]));
	});
}

#[test]
fn one_commit_per_epoch_and_expired_ones_make_room() {
	new_test_ext().execute_with(|| {
		enable(1);
		assert_ok!(commit(hash(&[1], &[1])));
		// Not the same vector, nor an alternative: one commit per epoch.
		assert_noop!(commit(hash(&[1], &[1])), Error::<Test>::AlreadyCommitted);
		assert_noop!(commit(hash(&[2], &[1])), Error::<Test>::AlreadyCommitted);
		next_epoch();
		assert_ok!(commit(hash(&[2], &[1])));
		assert_eq!(WeightCommits::<Test>::get(NETUID, 101).len(), 2);
		// Two epochs on, the first commit has expired and is dropped by the next commit.
		next_epoch();
		assert_ok!(commit(hash(&[3], &[1])));
		let epochs: Vec<u64> =
			WeightCommits::<Test>::get(NETUID, 101).iter().map(|c| c.epoch).collect();
		assert_eq!(epochs, vec![1, 2]);
		check_invariants();
	});
}

#[test]
fn the_longest_reveal_period_never_fills_the_commit_bound() {
	use myelin_primitives::subnets::bounds::MAX_REVEAL_PERIOD;
	new_test_ext().execute_with(|| {
		enable(MAX_REVEAL_PERIOD);
		// Committing every epoch without revealing: the bound holds every live commit.
		for _ in 0..3 * MAX_REVEAL_PERIOD {
			assert_ok!(commit(hash(&[1], &[1])));
			next_epoch();
		}
		let commits = WeightCommits::<Test>::get(NETUID, 101);
		assert_eq!(commits.len() as u32, MAX_REVEAL_PERIOD + 1);
		assert_eq!(commits.len() as u32, <crate::MaxCommits as Get<u32>>::get());
	});
}

#[test]
fn a_salt_longer_than_the_bound_does_not_decode() {
	let long = crate::Call::<Test>::reveal_weights {
		netuid: NETUID,
		uids: vec![1],
		values: vec![1],
		salt: frame_support::BoundedVec::default(),
		version_key: 0,
	}
	.encode();
	// Replace the empty salt (one zero byte, before the 8-byte version key) by a longer one.
	let words = <MaxSaltWords as Get<u32>>::get() as usize + 1;
	let mut bytes = long[..long.len() - 9].to_vec();
	bytes.extend(vec![7u16; words].encode());
	bytes.extend(0u64.encode());
	assert!(crate::Call::<Test>::decode(&mut &bytes[..]).is_err());
	// At the bound it decodes.
	let mut bytes = long[..long.len() - 9].to_vec();
	bytes.extend(vec![7u16; words - 1].encode());
	bytes.extend(0u64.encode());
	assert!(crate::Call::<Test>::decode(&mut &bytes[..]).is_ok());
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
		enable(2);
		assert_noop!(
			Yuma::commit_weights(RuntimeOrigin::signed(999), NETUID, H256::zero()),
			Error::<Test>::HotkeyNotRegistered
		);
	});
}

#[test]
fn a_reveal_of_mismatched_or_oversized_vectors_is_refused_before_hashing() {
	new_test_ext().execute_with(|| {
		enable(2);
		assert_ok!(commit(hash(&[1], &[1])));
		next_epoch();
		assert_noop!(reveal(vec![], vec![1; 10]), Error::<Test>::LengthMismatch);
		let oversized = usize::from(myelin_primitives::MAX_UIDS_HARD_CAP) + 1;
		assert_noop!(reveal(vec![1; oversized], vec![1; oversized]), Error::<Test>::UidOutOfRange);
		assert_eq!(WeightCommits::<Test>::get(NETUID, 101).len(), 1);
	});
}
