//! Storage migrations, applied by the runtime's `Executive` on upgrade.

use core::marker::PhantomData;

use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
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

/// The task and round encodings of storage version 2, before [`TaskSpec::audit_rate`].
pub mod v2 {
	use codec::{Decode, Encode};
	use myelin_primitives::{inference::RoundIndex, BlockNumber};

	use crate::{RoundInfo, TaskSpec};

	/// A task spec as version 2 stored it.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct OldTaskSpec {
		/// See [`TaskSpec::model`].
		pub model: [u8; 32],
		/// See [`TaskSpec::dimensions`].
		pub dimensions: u16,
		/// See [`TaskSpec::inputs_per_round`].
		pub inputs_per_round: u8,
		/// See [`TaskSpec::interval`].
		pub interval: BlockNumber,
		/// See [`TaskSpec::commit_window`].
		pub commit_window: BlockNumber,
		/// See [`TaskSpec::reveal_window`].
		pub reveal_window: BlockNumber,
		/// See [`TaskSpec::score_threshold`].
		pub score_threshold: u32,
		/// See [`TaskSpec::speed_weight`].
		pub speed_weight: u32,
	}

	/// A round as version 2 stored it.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct OldRoundInfo {
		/// See [`RoundInfo::index`].
		pub index: RoundIndex,
		/// See [`RoundInfo::start`].
		pub start: BlockNumber,
		/// See [`RoundInfo::seed`].
		pub seed: [u8; 32],
		/// See [`RoundInfo::spec`].
		pub spec: OldTaskSpec,
	}

	impl OldTaskSpec {
		/// The spec with audits off: an owner opts in by setting the task again.
		pub fn upgraded(self) -> TaskSpec {
			TaskSpec {
				model: self.model,
				dimensions: self.dimensions,
				inputs_per_round: self.inputs_per_round,
				interval: self.interval,
				commit_window: self.commit_window,
				reveal_window: self.reveal_window,
				score_threshold: self.score_threshold,
				speed_weight: self.speed_weight,
				audit_rate: 0,
			}
		}
	}

	impl OldRoundInfo {
		/// The round with its spec upgraded.
		pub fn upgraded(self) -> RoundInfo {
			RoundInfo {
				index: self.index,
				start: self.start,
				seed: self.seed,
				spec: self.spec.upgraded(),
			}
		}
	}
}

/// v2 → v3: [`TaskSpec`] gains `audit_rate`. Every stored task and round (bounded: one task
/// and `RoundsKept + 1` rounds per subnet) is rewritten with audits off.
pub struct AddAuditRate<T>(PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for AddAuditRate<T> {
	fn on_runtime_upgrade() -> Weight {
		use crate::pallet::{CurrentRound, Rounds, TaskSpecs};
		let mut touched: u64 = 0;
		TaskSpecs::<T>::translate::<v2::OldTaskSpec, _>(|_, old| {
			touched = touched.saturating_add(1);
			Some(old.upgraded())
		});
		CurrentRound::<T>::translate::<v2::OldRoundInfo, _>(|_, old| {
			touched = touched.saturating_add(1);
			Some(old.upgraded())
		});
		Rounds::<T>::translate::<v2::OldRoundInfo, _>(|_, _, old| {
			touched = touched.saturating_add(1);
			Some(old.upgraded())
		});
		T::DbWeight::get().reads_writes(touched, touched)
	}
}

/// [`AddAuditRate`] run once, at storage version 2 only, then version 3 recorded.
pub type MigrateV2ToV3<T> =
	VersionedMigration<2, 3, AddAuditRate<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
