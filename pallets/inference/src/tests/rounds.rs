//! The round schedule, seeds, and pruning.

use frame_support::assert_ok;
use myelin_primitives::OnNeuronChange;
use sp_core::H256;

use super::mock::*;
use crate::{challenge_seed, Event, PruneQueue, Rounds, Submissions};

fn with_task() {
	assert_ok!(Inference::set_task_spec(RuntimeOrigin::signed(OWNER), NETUID, spec()));
}

#[test]
fn rounds_start_every_interval_staggered_by_netuid() {
	new_test_ext().execute_with(|| {
		with_task();
		// Subnet 1 with interval 6 starts rounds where (block + 1) % 6 == 0: 5, 11, 17.
		run_to(4);
		assert!(crate::CurrentRound::<Test>::get(NETUID).is_none());
		run_to(5);
		let first = round();
		assert_eq!((first.index, first.start), (1, 5));
		let expected = sp_io::hashing::blake2_256(&codec::Encode::encode(&(
			H256::repeat_byte(5),
			NETUID,
			1u32,
		)));
		assert_eq!(first.seed, expected, "seed = blake2(parent hash ‖ netuid ‖ round)");
		System::assert_last_event(
			Event::RoundStarted { netuid: NETUID, round: 1, seed: expected }.into(),
		);
		run_to(10);
		assert_eq!(round().index, 1);
		run_to(11);
		assert_eq!((round().index, round().start), (2, 11));
		assert_ne!(round().seed, first.seed);
		run_to(17);
		assert_eq!(round().index, 3);
	});
}

#[test]
fn challenge_seeds_differ_per_hotkey_and_round() {
	new_test_ext().execute_with(|| {
		with_task();
		run_to(11);
		let a1 = Inference::miner_seed(NETUID, 1, &1).unwrap();
		let b1 = Inference::miner_seed(NETUID, 1, &2).unwrap();
		let a2 = Inference::miner_seed(NETUID, 2, &1).unwrap();
		assert_ne!(a1, b1);
		assert_ne!(a1, a2);
		assert_eq!(a1, challenge_seed(&Rounds::<Test>::get(NETUID, 1).unwrap().seed, &1u64));
		assert_eq!(Inference::miner_seed(NETUID, 3, &1), None, "round 3 has not started");
	});
}

#[test]
fn old_rounds_are_pruned_within_the_block_budget() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		set_neurons(NETUID, (0..12).collect());
		with_task();
		run_to(5);
		// Twelve commits in round 1.
		for hotkey in 0..12u64 {
			assert_ok!(Inference::commit_outputs(
				RuntimeOrigin::signed(hotkey),
				NETUID,
				1,
				H256::repeat_byte(1)
			));
		}
		// Rounds 2 and 3 keep round 1 (three rounds kept); round 4 at block 23 drops it.
		run_to(22);
		assert!(Rounds::<Test>::get(NETUID, 1).is_some());
		assert_eq!(Submissions::<Test>::iter_prefix((NETUID, 1)).count(), 12);
	});
	// Limited removal applies to committed state, as in a real block.
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		// Five submissions go per block, from the block that drops the round.
		run_to(23);
		assert!(Rounds::<Test>::get(NETUID, 1).is_none());
		assert_eq!(PruneQueue::<Test>::get().into_inner(), vec![(NETUID, 1)]);
		assert_eq!(Submissions::<Test>::iter_prefix((NETUID, 1)).count(), 7);
	});
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		run_to(24);
		assert_eq!(Submissions::<Test>::iter_prefix((NETUID, 1)).count(), 2);
	});
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		run_to(25);
		assert_eq!(Submissions::<Test>::iter_prefix((NETUID, 1)).count(), 0);
		assert!(PruneQueue::<Test>::get().is_empty());
	});
}

#[test]
fn a_full_prune_queue_prunes_at_once() {
	new_test_ext().execute_with(|| {
		with_task();
		run_to(5);
		assert_ok!(Inference::commit_outputs(RuntimeOrigin::signed(1), NETUID, 1, H256::zero()));
		for i in 0..4 {
			Inference::queue_prune(40, i);
		}
		Inference::queue_prune(NETUID, 1);
		assert_eq!(PruneQueue::<Test>::get().len(), 4);
		assert_eq!(Submissions::<Test>::iter_prefix((NETUID, 1)).count(), 0);
	});
}

#[test]
fn a_dissolved_subnet_loses_its_task_and_rounds() {
	new_test_ext().execute_with(|| {
		with_task();
		run_to(11);
		assert_ok!(Inference::commit_outputs(RuntimeOrigin::signed(1), NETUID, 2, H256::zero()));
		// A round of the subnet already waits in the prune queue.
		Inference::queue_prune(NETUID, 1);
		Inference::on_subnet_removed(NETUID);
		assert!(crate::TaskSpecs::<Test>::get(NETUID).is_none());
		assert!(crate::CurrentRound::<Test>::get(NETUID).is_none());
		// Rounds and submissions go within the clearing budget, queued ones included; until
		// then the subnet is not cleared.
		let first = Inference::clear_subnet(NETUID, 1);
		assert!(!first.done && first.removed >= 1);
		let mut rest = Inference::clear_subnet(NETUID, 100);
		while !rest.done {
			rest = Inference::clear_subnet(NETUID, 100);
		}
		assert_eq!(Rounds::<Test>::iter_prefix(NETUID).count(), 0);
		assert_eq!(Submissions::<Test>::iter().count(), 0);
		assert!(PruneQueue::<Test>::get().is_empty());
		assert_eq!(Inference::clear_subnet(NETUID, 100).removed, 0);
	});
}
