//! Storage migrations.

use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

use super::mock::*;
use crate::{
	migrations::{v2, MigrateV2ToV3},
	Neurons, Pallet, SubnetworkN,
};

#[test]
fn v2_to_v3_pages_every_neuron_and_removes_the_per_uid_maps() {
	new_test_ext().execute_with(|| {
		StorageVersion::new(2).put::<Pallet<Test>>();
		// Subnet 1 spans two pages (300 UIDs); subnet 2 was dissolved and is still clearing
		// (no neuron count, keys left).
		SubnetworkN::<Test>::insert(1, 300);
		for uid in 0..300u16 {
			v2::Keys::<Test>::insert(1, uid, 1_000 + u64::from(uid));
			v2::RegisteredAt::<Test>::insert(1, uid, u32::from(uid) + 7);
		}
		v2::Keys::<Test>::insert(2, 0, 5);
		v2::RegisteredAt::<Test>::insert(2, 0, 9);

		MigrateV2ToV3::<Test>::on_runtime_upgrade();

		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 3);
		let neurons = Subnets::neurons(1);
		assert_eq!(neurons.len(), 300);
		for (uid, neuron) in neurons.iter().enumerate() {
			assert_eq!(neuron.hotkey, 1_000 + uid as u64);
			assert_eq!(neuron.registered_at, uid as u32 + 7);
		}
		assert_eq!(Neurons::<Test>::get(1, 0).len(), 256);
		assert_eq!(Neurons::<Test>::get(1, 1).len(), 44);
		assert_eq!(Subnets::neuron(1, 299).map(|n| n.hotkey), Some(1_299));
		assert_eq!(Subnets::neuron(1, 300), None);
		assert_eq!(v2::Keys::<Test>::iter_keys().count(), 0);
		assert_eq!(v2::RegisteredAt::<Test>::iter_keys().count(), 0);
		assert_eq!(Neurons::<Test>::iter_prefix(2).count(), 0);

		// Run again at version 3, it does nothing.
		v2::Keys::<Test>::insert(1, 0, 42);
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(Subnets::neuron(1, 0).map(|n| n.hotkey), Some(1_000));
		assert_eq!(Pallet::<Test>::in_code_storage_version(), 3);
	});
}

#[test]
fn v2_to_v3_stops_a_subnet_at_a_gap_and_deregisters_the_uids_beyond_it() {
	new_test_ext().execute_with(|| {
		StorageVersion::new(2).put::<Pallet<Test>>();
		SubnetworkN::<Test>::insert(1, 4);
		for uid in [0u16, 1, 3] {
			v2::Keys::<Test>::insert(1, uid, 100 + u64::from(uid));
			v2::RegisteredAt::<Test>::insert(1, uid, 5);
			crate::Uids::<Test>::insert(1, 100 + u64::from(uid), uid);
		}
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		// UID 2 was missing: the subnet keeps UIDs 0 and 1, and hotkey 103 (UID 3) is gone.
		assert_eq!(SubnetworkN::<Test>::get(1), 2);
		assert_eq!(Subnets::neurons(1).len(), 2);
		assert_eq!(crate::Uids::<Test>::get(1, 101), Some(1));
		assert_eq!(crate::Uids::<Test>::get(1, 103), None);
		assert_eq!(v2::Keys::<Test>::iter_keys().count(), 0);
	});
}
