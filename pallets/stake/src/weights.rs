//! Weights for pallet_stake.
//!
//! The weight functions of the pallet's calls and hooks, and rough values for tests (`()`).
//! The runtime uses the benchmarked weights that `scripts/bench.sh` generates into
//! `runtime/src/weights/`.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weight functions needed for pallet_stake.
pub trait WeightInfo {
	fn add_stake() -> Weight;
	fn remove_stake() -> Weight;
	fn decrease_take() -> Weight;
	fn increase_take() -> Weight;
	fn move_stake() -> Weight;
	fn transfer_stake() -> Weight;
}

/// Rough values for tests; never used by the runtime.
impl WeightInfo for () {
	fn add_stake() -> Weight {
		Weight::from_parts(80_000_000, 6000).saturating_add(RocksDbWeight::get().reads(8))
	}
	fn remove_stake() -> Weight {
		Weight::from_parts(80_000_000, 6000).saturating_add(RocksDbWeight::get().reads(8))
	}
	fn decrease_take() -> Weight {
		Weight::from_parts(20_000_000, 3500)
	}
	fn increase_take() -> Weight {
		Weight::from_parts(25_000_000, 3500)
	}
	fn move_stake() -> Weight {
		Weight::from_parts(120_000_000, 9000).saturating_add(RocksDbWeight::get().reads(12))
	}
	fn transfer_stake() -> Weight {
		Weight::from_parts(120_000_000, 9000).saturating_add(RocksDbWeight::get().reads(12))
	}
}
