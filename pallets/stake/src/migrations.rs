//! Storage migrations, applied by the runtime's `Executive` on upgrade.

use core::marker::PhantomData;

use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};
use myelin_primitives::{SubnetInfo, Uid};

#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;

use crate::pallet::{Config, Pallet};

/// v1 → v2: records every registered neuron's [`crate::UidStake`] (its pool's value and its
/// hotkey's take, nothing accrued yet). Runs after the subnets pallet's neuron pages exist.
/// Reads each neuron's pool and take once, in one block: fine for the test networks it runs on
/// today; at `MaxSubnets` full subnets it would be a multi-block migration's job.
pub struct StakeByUid<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for StakeByUid<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut neurons: u64 = 0;
		let netuids = T::Subnets::netuids();
		for &netuid in &netuids {
			for (uid, hotkey) in (0..Uid::MAX).zip(T::Subnets::hotkeys(netuid)) {
				Pallet::<T>::record_neuron(netuid, uid, &hotkey);
				neurons = neurons.saturating_add(1);
			}
		}
		// Per subnet: its neurons' pages; per neuron: its pool, take and announced take, and
		// its page written back.
		let subnets = u64::try_from(netuids.len()).unwrap_or(u64::MAX);
		T::DbWeight::get().reads_writes(
			subnets.saturating_mul(17).saturating_add(neurons.saturating_mul(4)),
			neurons,
		)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		Ok(Vec::new())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		// Every neuron has its entry, in step with its pool and take.
		Pallet::<T>::do_try_state()
	}
}

/// [`StakeByUid`] run once, at storage version 1 only, then version 2 recorded.
pub type MigrateV1ToV2<T> =
	VersionedMigration<1, 2, StakeByUid<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
