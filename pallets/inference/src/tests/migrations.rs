//! Storage migrations.

use codec::Encode;
use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

use super::mock::*;
use crate::{
	migrations::{v2, MigrateV1ToV2, MigrateV2ToV3},
	CurrentRound, MinerTestModes, Pallet, Rounds, TaskSpecs,
};

#[test]
fn v1_to_v2_records_the_version_and_keeps_miners_honest() {
	new_test_ext().execute_with(|| {
		// A chain at version 1, which had no test-mode flag.
		StorageVersion::new(1).put::<Pallet<Test>>();
		MinerTestModes::<Test>::kill();
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
		assert!(!MinerTestModes::<Test>::get());
		// Run again (at version 2) it does nothing, even to a flag set since.
		MinerTestModes::<Test>::put(true);
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert!(MinerTestModes::<Test>::get());
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
		assert_eq!(Pallet::<Test>::in_code_storage_version(), 3);
	});
}

fn old_spec() -> v2::OldTaskSpec {
	v2::OldTaskSpec {
		model: [4; 32],
		dimensions: 32,
		inputs_per_round: 4,
		interval: 10,
		commit_window: 4,
		reveal_window: 3,
		score_threshold: 900_000,
		speed_weight: 200_000,
	}
}

#[test]
fn v2_tasks_and_rounds_gain_audits_off_and_nothing_else_changes() {
	new_test_ext().execute_with(|| {
		StorageVersion::new(2).put::<Pallet<Test>>();
		let old = old_spec();
		let round = v2::OldRoundInfo { index: 5, start: 40, seed: [9; 32], spec: old.clone() };
		// Written with the old encodings, as a version-2 chain holds them.
		frame_support::storage::unhashed::put_raw(
			&TaskSpecs::<Test>::hashed_key_for(7),
			&old.encode(),
		);
		frame_support::storage::unhashed::put_raw(
			&CurrentRound::<Test>::hashed_key_for(7),
			&round.encode(),
		);
		frame_support::storage::unhashed::put_raw(
			&Rounds::<Test>::hashed_key_for(7, 5),
			&round.encode(),
		);
		assert_eq!(TaskSpecs::<Test>::get(7), None, "the old encoding does not decode");

		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		let upgraded = TaskSpecs::<Test>::get(7).unwrap();
		assert_eq!(upgraded, old.clone().upgraded());
		assert_eq!(upgraded.audit_rate, 0);
		assert_eq!(upgraded.score_threshold, 900_000);
		assert_eq!(CurrentRound::<Test>::get(7), Some(round.clone().upgraded()));
		assert_eq!(Rounds::<Test>::get(7, 5).map(|r| r.seed), Some([9; 32]));
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 3);

		// Run again (the version is now 3): nothing is touched.
		TaskSpecs::<Test>::mutate(7, |spec| spec.as_mut().map(|s| s.audit_rate = 7));
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(TaskSpecs::<Test>::get(7).map(|s| s.audit_rate), Some(7));
	});
}
