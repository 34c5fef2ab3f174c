//! Storage migrations, applied by the runtime's `Executive` on upgrade.

use core::marker::PhantomData;

use alloc::vec::Vec;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};
use myelin_primitives::{subnets::UID_PAGE, SubnetInfo};

use crate::{
	pallet::{Config, Pallet, UidStakes},
	UidStakePage,
};

/// v1 → v2: records every registered neuron's [`crate::UidStake`] (its pool's value and its
/// hotkey's take, nothing accrued yet). Runs after the subnets pallet's neuron pages exist.
/// Reads each neuron's pool and take once and writes each page once, in one block: fine for the test networks it runs on
/// today; at `MaxSubnets` full subnets it would be a multi-block migration's job.
pub struct StakeByUid<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for StakeByUid<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut neurons: u64 = 0;
		let netuids = T::Subnets::netuids();
		for &netuid in &netuids {
			let hotkeys = T::Subnets::hotkeys(netuid);
			// One write per page, each built whole: UIDs are dense and in order.
			for (page, chunk) in (0u16..).zip(hotkeys.chunks(usize::from(UID_PAGE))) {
				let entries: Vec<_> = chunk
					.iter()
					.map(|hotkey| Pallet::<T>::fresh_uid_stake(netuid, hotkey))
					.collect();
				UidStakes::<T>::insert(netuid, page, UidStakePage::truncate_from(entries));
			}
			neurons = neurons.saturating_add(u64::try_from(hotkeys.len()).unwrap_or(u64::MAX));
		}
		// Per subnet: its neuron count and pages, and its stake pages written (at most 16);
		// per neuron: its pool, take and announced take.
		let subnets = u64::try_from(netuids.len()).unwrap_or(u64::MAX);
		T::DbWeight::get().reads_writes(
			subnets.saturating_mul(17).saturating_add(neurons.saturating_mul(3)),
			subnets.saturating_mul(16),
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
