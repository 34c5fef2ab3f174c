//! Weights for pallet_inference.
//!
//! The weight functions of the pallet's calls and hooks, and rough values for tests (`()`).
//! The runtime uses the benchmarked weights that `scripts/bench.sh` generates into
//! `runtime/src/weights/`.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weight functions needed for pallet_inference.
pub trait WeightInfo {
	fn set_task_spec() -> Weight;
	fn remove_task_spec() -> Weight;
	fn commit_outputs() -> Weight;
	/// `reveal_outputs` with `e` output values in total.
	fn reveal_outputs(e: u32) -> Weight;
	/// `on_initialize` reading `s` task specs, starting no round.
	fn on_initialize(s: u32) -> Weight;
	/// Starting one round (and queueing the round it drops).
	fn start_round() -> Weight;
	/// Pruning `k` submissions of dropped rounds.
	fn prune(k: u32) -> Weight;
}

/// Rough values for tests; never used by the runtime.
impl WeightInfo for () {
	fn set_task_spec() -> Weight {
		Weight::from_parts(15_000_000, 3000).saturating_add(RocksDbWeight::get().reads_writes(2, 1))
	}
	fn remove_task_spec() -> Weight {
		Self::set_task_spec()
	}
	fn commit_outputs() -> Weight {
		Weight::from_parts(20_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(4, 1))
	}
	fn reveal_outputs(e: u32) -> Weight {
		Weight::from_parts(25_000_000, 8000)
			.saturating_add(Weight::from_parts(2_000, 1).saturating_mul(e.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(4, 1))
	}
	fn on_initialize(s: u32) -> Weight {
		Weight::from_parts(2_000_000, 1000)
			.saturating_add(RocksDbWeight::get().reads(1).saturating_mul(s.into()))
	}
	fn start_round() -> Weight {
		Weight::from_parts(10_000_000, 3000).saturating_add(RocksDbWeight::get().reads_writes(3, 4))
	}
	fn prune(k: u32) -> Weight {
		Weight::from_parts(3_000_000, 2000)
			.saturating_add(RocksDbWeight::get().writes(1).saturating_mul(k.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
}
