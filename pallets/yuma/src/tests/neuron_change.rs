//! A UID changing hands or a subnet being dissolved drops what was stored for it.

use super::mock::*;
use crate::{
	Bonds, LastEpoch, Metrics, NeuronMetric, NeuronMetrics, WeightCommits, Weights as StoredWeights,
};
use frame_support::assert_ok;

fn weighted_network() {
	for k in 2..=5 {
		register(NETUID, k);
	}
	stake(NETUID, 1, 500);
	stake(NETUID, 2, 300);
	run_to_epoch(NETUID);
	assert_ok!(Yuma::set_weights(RuntimeOrigin::signed(101), NETUID, vec![2, 3], vec![1, 1], 0));
	assert_ok!(Yuma::set_weights(RuntimeOrigin::signed(102), NETUID, vec![2, 3], vec![1, 1], 0));
	// UID 4 (hotkey 105) only signals liveness.
	assert_ok!(Yuma::set_weights(RuntimeOrigin::signed(105), NETUID, vec![4], vec![1], 0));
	run_to_epoch(NETUID);
	assert!(Bonds::<Test>::get(NETUID, 0).iter().any(|&(j, _)| j == 3));
}

#[test]
fn a_pruned_uid_starts_clean() {
	new_test_ext().execute_with(|| {
		weighted_network();
		assert!(!StoredWeights::<Test>::get(NETUID, 4).is_empty());
		assert!(Metrics::<Test>::get(NETUID).last_update[4] > 0);
		// Fill the subnet (8 UIDs); one more registration prunes the lowest emission, oldest
		// first: UID 4, which never earned anything.
		for k in 6..=8 {
			register(NETUID, k);
		}
		assert_eq!(Metrics::<Test>::get(NETUID).emission[4], 0);
		assert!(Metrics::<Test>::get(NETUID).emission[3] > 0);
		let uid = register(NETUID, 9);
		assert_eq!(uid, 4);
		assert!(StoredWeights::<Test>::get(NETUID, 4).is_empty());
		assert_eq!(Metrics::<Test>::get(NETUID).last_update[4], 0);
		assert_eq!(Metrics::<Test>::get(NETUID).incentive[4], 0);
		assert!(!Metrics::<Test>::get(NETUID).validator_permit[4]);
		check_invariants();
	});
}

/// A row with every metric set to a non-default value. Adding a metric to `NeuronMetrics`
/// breaks this literal until the new metric is named here, so the reset test covers it.
fn every_metric_set() -> NeuronMetric {
	NeuronMetric {
		last_update: 7,
		incentive: 1,
		dividends: 2,
		consensus: 3,
		validator_trust: 4,
		active: true,
		validator_permit: true,
		emission: 5,
	}
}

#[test]
fn replacing_a_neuron_resets_every_metric() {
	new_test_ext().execute_with(|| {
		// Eight UIDs (the subnet's maximum), every one of them with every metric set.
		for k in 2..=8 {
			register(NETUID, k);
		}
		Metrics::<Test>::mutate(NETUID, |metrics| {
			for uid in 0..8 {
				metrics.set(uid, every_metric_set());
			}
		});
		let before = Metrics::<Test>::get(NETUID);
		assert_eq!(before.len(), 8);
		for uid in 0..8 {
			assert_eq!(before.get(uid), every_metric_set());
		}
		// Let UID 4 have the lowest emission: the next registration replaces it.
		Metrics::<Test>::mutate(NETUID, |metrics| {
			metrics.set(4, NeuronMetric { emission: 0, ..every_metric_set() });
		});
		assert_eq!(register(NETUID, 9), 4);

		let after = Metrics::<Test>::get(NETUID);
		assert_eq!(after.get(4), NeuronMetric::default(), "every metric of the new neuron");
		assert!(after.is_rectangular());
		for uid in (0..8).filter(|&uid| uid != 4) {
			assert_eq!(after.get(uid), every_metric_set(), "UID {uid} is untouched");
		}
		assert_eq!(NeuronMetrics::NAMES.len(), 8);
		check_invariants();
	});
}

#[test]
fn metric_vectors_pad_truncate_and_read_defaults_beyond_their_end() {
	let mut metrics = NeuronMetrics::default();
	assert!(metrics.is_empty());
	assert_eq!(metrics.get(3), NeuronMetric::default());
	metrics.set(2, every_metric_set());
	assert_eq!((metrics.len(), metrics.is_rectangular()), (3, true));
	assert_eq!(metrics.get(1), NeuronMetric::default());
	assert_eq!(metrics.get(2), every_metric_set());
	metrics.resize(2);
	assert_eq!(metrics.len(), 2);
	assert_eq!(metrics.get(2), NeuronMetric::default());
	metrics.resize(u16::MAX);
	assert_eq!(usize::from(metrics.len()), usize::from(myelin_primitives::MAX_UIDS_HARD_CAP));
	assert!(metrics.is_rectangular());
}

#[test]
fn a_new_neuron_inherits_no_bonds() {
	new_test_ext().execute_with(|| {
		weighted_network();
		// UID 3 passes to a new neuron after the last epoch: the validators' bonds on it (and
		// their weights, set before it registered) no longer count.
		let last_epoch = LastEpoch::<Test>::get(NETUID).unwrap();
		pallet_subnets::Neurons::<Test>::mutate(NETUID, 0, |page| {
			page[3].registered_at = last_epoch + 1
		});
		run_to_epoch(NETUID);
		assert!(Bonds::<Test>::get(NETUID, 0).iter().all(|&(j, _)| j != 3));
		assert!(Bonds::<Test>::get(NETUID, 0).iter().any(|&(j, _)| j == 2));
		assert_eq!(Metrics::<Test>::get(NETUID).incentive[3], 0);
	});
}

#[test]
fn dissolving_a_subnet_removes_everything_stored_for_it() {
	new_test_ext().execute_with(|| {
		weighted_network();
		let mut params = pallet_subnets::Hyperparams::<Test>::get(NETUID).unwrap();
		params.commit_reveal_enabled = true;
		pallet_subnets::Hyperparams::<Test>::insert(NETUID, params);
		assert_ok!(Yuma::commit_weights(
			RuntimeOrigin::signed(101),
			NETUID,
			sp_core::H256::repeat_byte(1)
		));
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::signed(OWNER), NETUID));
		// The per-subnet records go at once, the per-UID rows over the next blocks.
		assert!(!Metrics::<Test>::contains_key(NETUID));
		assert!(StoredWeights::<Test>::iter_prefix(NETUID).count() > 0);
		check_invariants();
		// 16 keys per block in the test runtime: six neurons' subnet keys, then their rows.
		run_to_block(System::block_number() + 3);
		assert!(!pallet_subnets::Clearing::<Test>::get().contains(&NETUID));
		assert_eq!(StoredWeights::<Test>::iter_prefix(NETUID).count(), 0);
		assert_eq!(Bonds::<Test>::iter_prefix(NETUID).count(), 0);
		assert_eq!(WeightCommits::<Test>::iter_prefix(NETUID).count(), 0);
		assert!(!Metrics::<Test>::contains_key(NETUID));
		assert!(!LastEpoch::<Test>::contains_key(NETUID));
		assert!(!crate::EpochIndex::<Test>::contains_key(NETUID));
		check_invariants();
	});
}

#[test]
fn validator_status_reads_the_last_epoch() {
	use myelin_primitives::ValidatorStatus;
	new_test_ext().execute_with(|| {
		weighted_network();
		let permits = Metrics::<Test>::get(NETUID).validator_permit;
		let updates = Metrics::<Test>::get(NETUID).last_update;
		for uid in 0..6u16 {
			let i = usize::from(uid);
			assert_eq!(Yuma::has_permit(NETUID, uid), permits.get(i).copied().unwrap_or(false));
			assert_eq!(Yuma::last_update(NETUID, uid), updates.get(i).copied().unwrap_or(0));
		}
		assert!(Yuma::has_permit(NETUID, 1), "the staked validator holds a permit");
		assert!(Yuma::last_update(NETUID, 1) > 0, "and has set weights");
		assert!(!Yuma::has_permit(NETUID, 99) && Yuma::last_update(NETUID, 99) == 0);
		assert_eq!(
			<Yuma as ValidatorStatus>::epoch_index(NETUID),
			crate::EpochIndex::<Test>::get(NETUID)
		);
		assert!(<Yuma as ValidatorStatus>::epoch_index(NETUID) > 0);
	});
}
