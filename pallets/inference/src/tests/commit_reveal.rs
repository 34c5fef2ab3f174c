//! Miners' commits and reveals, and every way they fail.

use frame_support::{assert_noop, assert_ok};
use sp_core::H256;

use super::mock::*;
use crate::{outputs_hash, Error, Event, Submissions};

const SALT: [u8; 32] = [9; 32];

fn outputs() -> Vec<Vec<i8>> {
	(0..4).map(|i| vec![i as i8; 8]).collect()
}

fn hash_of(hotkey: AccountId, round: u32, outputs: &[Vec<i8>]) -> H256 {
	outputs_hash(&hotkey, NETUID, round, outputs, &SALT)
}

/// Subnet 1 has the task; round 1 started at block 5 (commit 5..8, reveal 8..10).
fn in_round_one() -> sp_io::TestExternalities {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		assert_ok!(Inference::set_task_spec(RuntimeOrigin::signed(OWNER), NETUID, spec()));
		run_to(5);
	});
	ext
}

#[test]
fn commit_then_reveal_stores_the_outputs() {
	in_round_one().execute_with(|| {
		run_to(6);
		let hash = hash_of(1, 1, &outputs());
		assert_ok!(Inference::commit_outputs(RuntimeOrigin::signed(1), NETUID, 1, hash));
		System::assert_last_event(
			Event::OutputsCommitted { netuid: NETUID, round: 1, hotkey: 1, hash }.into(),
		);
		let stored = Submissions::<Test>::get((NETUID, 1), 1).unwrap();
		assert_eq!((stored.hash, stored.commit_block, stored.revealed), (hash.0, 6, false));

		run_to(8);
		assert_ok!(Inference::reveal_outputs(RuntimeOrigin::signed(1), NETUID, 1, outputs(), SALT));
		System::assert_last_event(
			Event::OutputsRevealed { netuid: NETUID, round: 1, hotkey: 1 }.into(),
		);
		let stored = Submissions::<Test>::get((NETUID, 1), 1).unwrap();
		assert!(stored.revealed);
		assert_eq!(stored.commit_block, 6);
		let revealed: Vec<Vec<i8>> = stored.outputs.iter().map(|o| o.to_vec()).collect();
		assert_eq!(revealed, outputs());
	});
}

#[test]
fn commits_need_a_task_a_registration_and_the_current_round() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Inference::commit_outputs(RuntimeOrigin::signed(1), NETUID, 1, H256::zero()),
			Error::<Test>::NoTaskSpec
		);
		assert_ok!(Inference::set_task_spec(RuntimeOrigin::signed(OWNER), NETUID, spec()));
		assert_noop!(
			Inference::commit_outputs(RuntimeOrigin::signed(1), NETUID, 1, H256::zero()),
			Error::<Test>::NotCurrentRound
		);
		run_to(5);
		assert_noop!(
			Inference::commit_outputs(RuntimeOrigin::signed(77), NETUID, 1, H256::zero()),
			Error::<Test>::HotkeyNotRegistered
		);
		assert_noop!(
			Inference::commit_outputs(RuntimeOrigin::signed(1), NETUID, 2, H256::zero()),
			Error::<Test>::NotCurrentRound
		);
		assert_noop!(
			Inference::commit_outputs(RuntimeOrigin::none(), NETUID, 1, H256::zero()),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn commits_close_with_the_window_and_happen_once() {
	in_round_one().execute_with(|| {
		assert_ok!(Inference::commit_outputs(RuntimeOrigin::signed(1), NETUID, 1, H256::zero()));
		assert_noop!(
			Inference::commit_outputs(RuntimeOrigin::signed(1), NETUID, 1, H256::repeat_byte(1)),
			Error::<Test>::AlreadyCommitted
		);
		run_to(7);
		assert_ok!(Inference::commit_outputs(RuntimeOrigin::signed(2), NETUID, 1, H256::zero()));
		run_to(8);
		assert_noop!(
			Inference::commit_outputs(RuntimeOrigin::signed(3), NETUID, 1, H256::zero()),
			Error::<Test>::CommitWindowClosed
		);
	});
}

#[test]
fn reveals_keep_to_their_window() {
	in_round_one().execute_with(|| {
		assert_ok!(Inference::commit_outputs(
			RuntimeOrigin::signed(1),
			NETUID,
			1,
			hash_of(1, 1, &outputs())
		));
		assert_ok!(Inference::commit_outputs(
			RuntimeOrigin::signed(2),
			NETUID,
			1,
			hash_of(2, 1, &outputs())
		));
		run_to(7);
		assert_noop!(
			Inference::reveal_outputs(RuntimeOrigin::signed(1), NETUID, 1, outputs(), SALT),
			Error::<Test>::RevealTooEarly
		);
		run_to(9);
		assert_ok!(Inference::reveal_outputs(RuntimeOrigin::signed(1), NETUID, 1, outputs(), SALT));
		run_to(10);
		assert_noop!(
			Inference::reveal_outputs(RuntimeOrigin::signed(2), NETUID, 1, outputs(), SALT),
			Error::<Test>::RevealWindowClosed
		);
	});
}

#[test]
fn reveals_are_checked_against_the_commit() {
	in_round_one().execute_with(|| {
		assert_ok!(Inference::commit_outputs(
			RuntimeOrigin::signed(1),
			NETUID,
			1,
			hash_of(1, 1, &outputs())
		));
		run_to(8);
		let reveal = |who, round, outputs, salt| {
			Inference::reveal_outputs(RuntimeOrigin::signed(who), NETUID, round, outputs, salt)
		};
		assert_noop!(reveal(2, 1, outputs(), SALT), Error::<Test>::NoCommit);
		assert_noop!(reveal(77, 1, outputs(), SALT), Error::<Test>::HotkeyNotRegistered);
		assert_noop!(reveal(1, 2, outputs(), SALT), Error::<Test>::UnknownRound);
		let mut three = outputs();
		three.pop();
		assert_noop!(reveal(1, 1, three, SALT), Error::<Test>::WrongOutputCount);
		let mut ragged = outputs();
		ragged[2].push(0);
		assert_noop!(reveal(1, 1, ragged, SALT), Error::<Test>::WrongOutputWidth);
		let mut changed = outputs();
		changed[0][0] = 99;
		assert_noop!(reveal(1, 1, changed, SALT), Error::<Test>::HashMismatch);
		assert_noop!(reveal(1, 1, outputs(), [8; 32]), Error::<Test>::HashMismatch);
		assert_ok!(reveal(1, 1, outputs(), SALT));
		assert_noop!(reveal(1, 1, outputs(), SALT), Error::<Test>::AlreadyRevealed);
	});
}

#[test]
fn reveals_need_a_task() {
	in_round_one().execute_with(|| {
		assert_ok!(Inference::commit_outputs(
			RuntimeOrigin::signed(1),
			NETUID,
			1,
			hash_of(1, 1, &outputs())
		));
		assert_ok!(Inference::remove_task_spec(RuntimeOrigin::signed(OWNER), NETUID));
		run_to(8);
		assert_noop!(
			Inference::reveal_outputs(RuntimeOrigin::signed(1), NETUID, 1, outputs(), SALT),
			Error::<Test>::NoTaskSpec
		);
	});
}

#[test]
fn pruned_rounds_cannot_be_revealed() {
	in_round_one().execute_with(|| {
		assert_ok!(Inference::commit_outputs(
			RuntimeOrigin::signed(1),
			NETUID,
			1,
			hash_of(1, 1, &outputs())
		));
		// A long reveal window reaching into the next rounds, then round 1 falls out.
		RoundsKept::set(2);
		run_to(17);
		assert_noop!(
			Inference::reveal_outputs(RuntimeOrigin::signed(1), NETUID, 1, outputs(), SALT),
			Error::<Test>::UnknownRound
		);
		RoundsKept::set(3);
	});
}

#[test]
fn a_task_changed_mid_round_applies_from_the_next_round() {
	in_round_one().execute_with(|| {
		run_to(6);
		let hash = hash_of(1, 1, &outputs());
		assert_ok!(Inference::commit_outputs(RuntimeOrigin::signed(1), NETUID, 1, hash));
		// The owner doubles the width and shortens the windows while round 1 runs.
		let wider = crate::TaskSpec { dimensions: 16, commit_window: 1, ..spec() };
		assert_ok!(Inference::set_task_spec(RuntimeOrigin::signed(OWNER), NETUID, wider));
		// Round 1 keeps its own task: same windows, same width.
		assert_eq!(round().spec, spec());
		run_to(8);
		assert_ok!(Inference::reveal_outputs(RuntimeOrigin::signed(1), NETUID, 1, outputs(), SALT));
		// The next round runs the new one.
		while round().index == 1 {
			run_to(System::block_number() + 1);
		}
		assert_eq!(round().spec, wider);
	});
}
