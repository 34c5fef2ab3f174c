//! Storage migrations, applied by the runtime's `Executive` on upgrade.

use core::marker::PhantomData;

use frame_support::{
	migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade, weights::Weight,
};

use crate::pallet::{Config, Pallet};

/// v1 → v2: [`crate::MinerTestModes`] appears. A chain that predates it reads it as false,
/// which is what it should be on any chain upgraded in place (miners answer honestly), so
/// nothing is written but the version.
pub struct AddMinerTestModes<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for AddMinerTestModes<T> {
	fn on_runtime_upgrade() -> Weight {
		Weight::zero()
	}
}

/// [`AddMinerTestModes`] run once, at storage version 1 only, then version 2 recorded.
pub type MigrateV1ToV2<T> = VersionedMigration<
	1,
	2,
	AddMinerTestModes<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
