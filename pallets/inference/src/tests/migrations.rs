//! Storage migrations.

use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

use super::mock::*;
use crate::{migrations::MigrateV1ToV2, MinerTestModes, Pallet};

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
		assert_eq!(Pallet::<Test>::in_code_storage_version(), 2);
	});
}
