//! Weights for pallet_emission.
//!
//! The weight functions of the pallet's calls and hooks, and rough values for tests (`()`).
//! The runtime uses the benchmarked weights that `scripts/bench.sh` generates into
//! `runtime/src/weights/`.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weight functions needed for pallet_emission.
pub trait WeightInfo {
	fn set_split_mode() -> Weight;
	fn set_owner_cut() -> Weight;
	/// `on_initialize` accruing the block emission to `s` eligible subnets.
	fn on_initialize(s: u32) -> Weight;
	/// Crediting one payout to a hotkey whose pool has `p` stakers (flat: O(1) in `p`).
	fn credit(p: u32) -> Weight;
}

/// Rough values for tests; never used by the runtime.
impl WeightInfo for () {
	fn set_split_mode() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().writes(1))
	}
	fn set_owner_cut() -> Weight {
		Weight::from_parts(15_000_000, 3500).saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn on_initialize(s: u32) -> Weight {
		Weight::from_parts(10_000_000, 3000)
			.saturating_add(Weight::from_parts(100_000, 40).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(4, 4))
			.saturating_add(RocksDbWeight::get().reads(s.into()))
	}
	fn credit(_p: u32) -> Weight {
		Weight::from_parts(30_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(7, 4))
	}
}
