//! A UID changing hands or a subnet being dissolved drops what was stored for it.

use super::mock::*;
use crate::{
	Bonds, Emission, Incentive, LastEpoch, LastUpdate, ValidatorPermit, WeightCommits,
	Weights as StoredWeights,
};
use frame_support::assert_ok;

fn weighted_network() {
	for k in 2..=5 {
		register(NETUID, k);
	}
	stake(1, 500);
	stake(2, 300);
	run_to_epoch(NETUID);
	assert_ok!(Weights::set_weights(RuntimeOrigin::signed(101), NETUID, vec![2, 3], vec![1, 1], 0));
	assert_ok!(Weights::set_weights(RuntimeOrigin::signed(102), NETUID, vec![2, 3], vec![1, 1], 0));
	// UID 4 (hotkey 105) only signals liveness.
	assert_ok!(Weights::set_weights(RuntimeOrigin::signed(105), NETUID, vec![4], vec![1], 0));
	run_to_epoch(NETUID);
	assert!(Bonds::<Test>::get(NETUID, 0).iter().any(|&(j, _)| j == 3));
}

#[test]
fn a_pruned_uid_starts_clean() {
	new_test_ext().execute_with(|| {
		weighted_network();
		assert!(!StoredWeights::<Test>::get(NETUID, 4).is_empty());
		assert!(LastUpdate::<Test>::get(NETUID)[4] > 0);
		// Fill the subnet (8 UIDs); one more registration prunes the lowest emission, oldest
		// first: UID 4, which never earned anything.
		for k in 6..=8 {
			register(NETUID, k);
		}
		assert_eq!(Emission::<Test>::get(NETUID)[4], 0);
		assert!(Emission::<Test>::get(NETUID)[3] > 0);
		let uid = register(NETUID, 9);
		assert_eq!(uid, 4);
		assert!(StoredWeights::<Test>::get(NETUID, 4).is_empty());
		assert_eq!(LastUpdate::<Test>::get(NETUID)[4], 0);
		assert_eq!(Incentive::<Test>::get(NETUID)[4], 0);
		assert!(!ValidatorPermit::<Test>::get(NETUID)[4]);
		check_invariants();
	});
}

#[test]
fn a_new_neuron_inherits_no_bonds() {
	new_test_ext().execute_with(|| {
		weighted_network();
		// UID 3 passes to a new neuron after the last epoch: the validators' bonds on it (and
		// their weights, set before it registered) no longer count.
		let last_epoch = LastEpoch::<Test>::get(NETUID).unwrap();
		pallet_subnets::RegisteredAt::<Test>::insert(NETUID, 3, last_epoch + 1);
		run_to_epoch(NETUID);
		assert!(Bonds::<Test>::get(NETUID, 0).iter().all(|&(j, _)| j != 3));
		assert!(Bonds::<Test>::get(NETUID, 0).iter().any(|&(j, _)| j == 2));
		assert_eq!(Incentive::<Test>::get(NETUID)[3], 0);
	});
}

#[test]
fn dissolving_a_subnet_removes_everything_stored_for_it() {
	new_test_ext().execute_with(|| {
		weighted_network();
		let mut params = pallet_subnets::Hyperparams::<Test>::get(NETUID).unwrap();
		params.commit_reveal_enabled = true;
		pallet_subnets::Hyperparams::<Test>::insert(NETUID, params);
		assert_ok!(Weights::commit_weights(
			RuntimeOrigin::signed(101),
			NETUID,
			sp_core::H256::repeat_byte(1)
		));
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::signed(OWNER), NETUID));
		assert_eq!(StoredWeights::<Test>::iter_prefix(NETUID).count(), 0);
		assert_eq!(Bonds::<Test>::iter_prefix(NETUID).count(), 0);
		assert_eq!(WeightCommits::<Test>::iter_prefix(NETUID).count(), 0);
		assert!(!Incentive::<Test>::contains_key(NETUID));
		assert!(!LastEpoch::<Test>::contains_key(NETUID));
		check_invariants();
	});
}

#[test]
fn validator_status_reads_the_last_epoch() {
	use myelin_primitives::ValidatorStatus;
	new_test_ext().execute_with(|| {
		weighted_network();
		let permits = ValidatorPermit::<Test>::get(NETUID);
		let updates = LastUpdate::<Test>::get(NETUID);
		for uid in 0..6u16 {
			let i = usize::from(uid);
			assert_eq!(Weights::has_permit(NETUID, uid), permits.get(i).copied().unwrap_or(false));
			assert_eq!(Weights::last_update(NETUID, uid), updates.get(i).copied().unwrap_or(0));
		}
		assert!(Weights::has_permit(NETUID, 1), "the staked validator holds a permit");
		assert!(Weights::last_update(NETUID, 1) > 0, "and has set weights");
		assert!(!Weights::has_permit(NETUID, 99) && Weights::last_update(NETUID, 99) == 0);
	});
}
