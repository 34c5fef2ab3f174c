//! The epoch: scheduling, deferral, Yuma's outputs in storage, and the payout hand-off.

use super::mock::*;
use crate::{Bonds, DeferredEpochs, Event, LastEpoch, Metrics};
use frame_support::{assert_ok, traits::Hooks};
use myelin_primitives::NeuronEmission;

/// UIDs 0..3 validators (hotkeys 101, 102, 103 with stakes), UIDs 3..6 miners (104..=106).
fn network() {
	for k in 2..=6 {
		register(NETUID, k);
	}
	stake(NETUID, 1, 500);
	stake(NETUID, 2, 300);
	stake(NETUID, 3, 200);
}

fn set(hotkey: AccountId, uids: Vec<u16>, values: Vec<u16>) {
	assert_ok!(Yuma::set_weights(RuntimeOrigin::signed(hotkey), NETUID, uids, values, 0));
}

#[test]
fn epochs_run_every_tempo_staggered_by_netuid() {
	new_test_ext().execute_with(|| {
		// Subnet 1 with tempo 10 runs when (block + 1) % 10 == 0.
		run_to_block(8);
		assert!(LastEpoch::<Test>::get(NETUID).is_none());
		run_to_block(9);
		assert_eq!(LastEpoch::<Test>::get(NETUID), Some(9));
		assert!(events().contains(&Event::EpochRun {
			netuid: NETUID,
			neurons: 1,
			has_weights: false
		}));
		run_to_block(18);
		assert_eq!(LastEpoch::<Test>::get(NETUID), Some(9));
		run_to_block(19);
		assert_eq!(LastEpoch::<Test>::get(NETUID), Some(19));
		assert!(!crate::Pallet::<Test>::epoch_due(2, 10, 19));
		assert!(crate::Pallet::<Test>::epoch_due(2, 10, 18));
	});
}

#[test]
fn the_first_epoch_grants_permits_by_stake_without_weights() {
	new_test_ext().execute_with(|| {
		network();
		run_to_epoch(NETUID);
		// Three permits for the three staked hotkeys; miners without stake get none.
		assert_eq!(
			Metrics::<Test>::get(NETUID).validator_permit.into_inner(),
			vec![true, true, true, false, false, false]
		);
		assert!(Metrics::<Test>::get(NETUID).incentive.iter().all(|&i| i == 0));
		let (netuid, output, permitted) = paid().last().cloned().unwrap();
		assert_eq!((netuid, output.has_weights), (NETUID, false));
		assert_eq!(permitted, 1_000 * UNIT);
		check_invariants();
	});
}

#[test]
fn weights_become_incentive_dividends_bonds_and_emission() {
	new_test_ext().execute_with(|| {
		network();
		run_to_epoch(NETUID);
		// All three validators favour miner 3, the smallest one dissents toward miner 5.
		set(101, vec![3, 4], vec![3, 1]);
		set(102, vec![3, 4], vec![3, 1]);
		set(103, vec![5], vec![1]);
		run_to_epoch(NETUID);

		let incentive = Metrics::<Test>::get(NETUID).incentive;
		assert!(incentive[3] > incentive[4], "{incentive:?}");
		assert_eq!(incentive[5], 0, "the dissenter alone cannot reach consensus");
		assert_eq!(incentive[..3], [0, 0, 0]);
		let consensus = Metrics::<Test>::get(NETUID).consensus;
		assert!(consensus[3] > consensus[4] && consensus[5] == 0);
		let dividends = Metrics::<Test>::get(NETUID).dividends;
		assert!(dividends[0] > dividends[1] && dividends[1] > 0 && dividends[2] == 0);
		let trust = Metrics::<Test>::get(NETUID).validator_trust;
		assert!(trust[0] > 60_000 && trust[2] == 0);
		assert_eq!(Metrics::<Test>::get(NETUID).active.into_inner()[..3], [true, true, true]);
		// Bonds: validator rows over the miners they weighted, sorted by UID.
		let bonds = Bonds::<Test>::get(NETUID, 0).into_inner();
		assert_eq!(bonds.iter().map(|&(j, _)| j).collect::<Vec<_>>(), vec![3, 4]);
		assert!(Bonds::<Test>::get(NETUID, 2).iter().all(|&(j, _)| j == 5));
		// The payout's per-UID emission is stored and is the pruning score.
		let emission = Metrics::<Test>::get(NETUID).emission;
		assert_eq!(emission[3], u64::from(incentive[3]));
		assert_eq!(crate::Pallet::<Test>::emissions(NETUID)[3], emission[3]);
		check_invariants();
	});
}

#[test]
fn excess_epochs_are_deferred_to_the_next_block() {
	new_test_ext().execute_with(|| {
		MaxEpochs::set(1);
		// Subnet 1 (tempo 10) and subnet 2 (tempo 11) are both due in block 9.
		subnet_with_neurons(2, 2, 1, 1_000_000 * UNIT);
		let mut params = pallet_subnets::Hyperparams::<Test>::get(2).unwrap();
		params.tempo = 11;
		pallet_subnets::Hyperparams::<Test>::insert(2, params);
		assert!(crate::Pallet::<Test>::epoch_due(2, 11, 9));
		run_to_block(9);
		assert_eq!(LastEpoch::<Test>::get(NETUID), Some(9));
		assert!(LastEpoch::<Test>::get(2).is_none());
		assert!(events().contains(&Event::EpochDeferred { netuid: 2 }));
		assert_eq!(DeferredEpochs::<Test>::get().into_inner(), vec![2]);
		run_to_block(10);
		assert_eq!(LastEpoch::<Test>::get(2), Some(10));
		assert!(!DeferredEpochs::<Test>::exists());
		MaxEpochs::set(2);
	});
}

#[test]
fn the_epoch_weight_grows_with_the_subnet() {
	new_test_ext().execute_with(|| {
		let small = crate::Pallet::<Test>::run_epoch(NETUID);
		subnet_with_neurons(NETUID, 8, 3, 1_000_000 * UNIT);
		let large = crate::Pallet::<Test>::run_epoch(NETUID);
		assert!(large.ref_time() > small.ref_time());
		// A block without due epochs costs only the scan.
		System::set_block_number(1);
		let idle = Yuma::on_initialize(1);
		assert!(idle.ref_time() < small.ref_time());
	});
}

#[test]
fn inactive_validators_lose_their_say() {
	new_test_ext().execute_with(|| {
		network();
		let mut params = pallet_subnets::Hyperparams::<Test>::get(NETUID).unwrap();
		params.activity_cutoff = 15;
		pallet_subnets::Hyperparams::<Test>::insert(NETUID, params);
		run_to_epoch(NETUID); // block 9: permits
		set(101, vec![3], vec![1]);
		set(102, vec![4], vec![1]);
		run_to_epoch(NETUID); // block 19
		assert!(Metrics::<Test>::get(NETUID).incentive[3] > 0);
		// Validator 102 keeps updating; 101 stops and is inactive after 15 blocks.
		run_to_block(28);
		set(102, vec![4], vec![1]);
		run_to_epoch(NETUID); // block 29: 101's update (block 9) is 20 blocks old
		let active = Metrics::<Test>::get(NETUID).active;
		assert!(!active[0] && active[1]);
		let incentive = Metrics::<Test>::get(NETUID).incentive;
		assert_eq!(incentive[3], 0);
		assert_eq!(incentive[4], u16::MAX);
	});
}

#[test]
fn the_epoch_reads_only_the_rows_of_neurons_that_get_a_permit() {
	new_test_ext().execute_with(|| {
		network();
		run_to_epoch(NETUID);
		set(101, vec![3, 4], vec![1, 1]);
		// A miner's self-weight is stored, but it will hold no permit.
		assert_ok!(Yuma::set_weights(RuntimeOrigin::signed(104), NETUID, vec![3], vec![1], 0));
		assert!(crate::Weights::<Test>::contains_key(NETUID, 3));
		let (_, input, _) = Yuma::epoch_input(NETUID);
		assert_eq!(input.weights[0].len(), 2, "the validator's row is read");
		assert!(input.weights[3].is_empty(), "the miner's is not: it would count for nothing");
		// The outputs are Yuma's on the full rows all the same.
		let mut full = input.clone();
		full.weights[3] = vec![(3, u16::MAX)];
		assert_eq!(myelin_yuma::epoch(&input), myelin_yuma::epoch(&full));
	});
}
