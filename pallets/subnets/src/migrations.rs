//! Storage migrations, applied by the runtime's `Executive` on upgrade.

use alloc::vec::Vec;
use core::marker::PhantomData;

use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
	BoundedVec,
};
use myelin_primitives::subnets::uid_page;

use crate::{
	pallet::{Axons, Config, Neurons, Pallet, SubnetworkN, Uids},
	Neuron,
};

/// The per-UID maps of storage version 2, which [`Neurons`] pages replace.
#[allow(missing_docs)] // `storage_alias` generates undocumented prefix structs.
pub mod v2 {
	use frame_support::{storage_alias, Twox64Concat};
	use myelin_primitives::{BlockNumber, NetUid, Uid};

	use crate::pallet::{Config, Pallet};

	/// Hotkey of each UID.
	#[storage_alias]
	pub type Keys<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Twox64Concat,
		NetUid,
		Twox64Concat,
		Uid,
		<T as frame_system::Config>::AccountId,
	>;

	/// Block at which each UID's current neuron registered.
	#[storage_alias]
	pub type RegisteredAt<T: Config> =
		StorageDoubleMap<Pallet<T>, Twox64Concat, NetUid, Twox64Concat, Uid, BlockNumber>;
}

/// v2 → v3: each subnet's `Keys` and `RegisteredAt` entries become [`Neurons`] pages, and both
/// maps are removed, including what dissolved subnets still had waiting to be cleared (the
/// clearing now removes pages only). Reads and writes every neuron once, in one block: fine for
/// the test networks it runs on today (a few subnets); at `MaxSubnets` full subnets (262,144
/// neurons) it would be a multi-block migration's job.
pub struct NeuronPages<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for NeuronPages<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut reads: u64 = 0;
		let mut writes: u64 = 0;
		let subnets: Vec<_> = SubnetworkN::<T>::iter().collect();
		for (netuid, n) in subnets {
			reads = reads.saturating_add(1);
			let mut pages: Vec<BoundedVec<Neuron<T::AccountId>, _>> = Vec::new();
			let mut stored: u16 = 0;
			for uid in 0..n {
				reads = reads.saturating_add(2);
				let (Some(hotkey), registered_at) =
					(v2::Keys::<T>::get(netuid, uid), v2::RegisteredAt::<T>::get(netuid, uid))
				else {
					break;
				};
				let (page, _) = uid_page(uid);
				if pages.len() <= usize::from(page) {
					pages.push(BoundedVec::new());
				}
				let neuron = Neuron { hotkey, registered_at: registered_at.unwrap_or_default() };
				// A page holds exactly `UID_PAGE` UIDs, so the push fits.
				if pages.last_mut().is_some_and(|entries| entries.try_push(neuron).is_ok()) {
					stored = stored.saturating_add(1);
				}
			}
			if stored < n {
				// UIDs were dense in version 2; a gap is a broken chain. The subnet keeps the
				// UIDs below it, and the hotkeys at or above it are deregistered, so the count,
				// the pages and the hotkey → UID map agree again.
				log::error!("subnet {netuid}: UIDs {stored}..{n} have no hotkey; dropped");
				SubnetworkN::<T>::insert(netuid, stored);
				let beyond: Vec<_> = Uids::<T>::iter_prefix(netuid)
					.filter(|(_, uid)| *uid >= stored)
					.map(|(hotkey, _)| hotkey)
					.collect();
				for hotkey in beyond {
					Uids::<T>::remove(netuid, &hotkey);
					Axons::<T>::remove(netuid, &hotkey);
					writes = writes.saturating_add(2);
				}
				writes = writes.saturating_add(1);
			}
			for (page, entries) in (0u16..).zip(pages) {
				Neurons::<T>::insert(netuid, page, entries);
				writes = writes.saturating_add(1);
			}
		}
		// Each removal reads the key it removes.
		let removed = u64::from(v2::Keys::<T>::clear(u32::MAX, None).backend)
			.saturating_add(u64::from(v2::RegisteredAt::<T>::clear(u32::MAX, None).backend));
		reads = reads.saturating_add(removed);
		writes = writes.saturating_add(removed);
		T::DbWeight::get().reads_writes(reads, writes)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let neurons: Vec<_> = SubnetworkN::<T>::iter()
			.map(|(netuid, n)| {
				let neurons: Vec<_> = (0..n)
					.map(|uid| {
						(v2::Keys::<T>::get(netuid, uid), v2::RegisteredAt::<T>::get(netuid, uid))
					})
					.collect();
				(netuid, neurons)
			})
			.collect();
		Ok(neurons.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		type Before<A> = Vec<(myelin_primitives::NetUid, Vec<Option<A>>)>;
		let before = Before::<T::AccountId>::decode(&mut &state[..])
			.map_err(|_| "pre-upgrade state does not decode")?;
		for (netuid, hotkeys) in before {
			let after: Vec<_> = Pallet::<T>::neurons(netuid)
				.into_iter()
				.map(|neuron| Some(neuron.hotkey))
				.collect();
			frame_support::ensure!(after == hotkeys, "a neuron moved or was lost");
		}
		frame_support::ensure!(
			v2::Keys::<T>::iter_keys().next().is_none()
				&& v2::RegisteredAt::<T>::iter_keys().next().is_none(),
			"version 2 maps left behind"
		);
		Ok(())
	}
}

/// [`NeuronPages`] run once, at storage version 2 only, then version 3 recorded.
pub type MigrateV2ToV3<T> =
	VersionedMigration<2, 3, NeuronPages<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
