//! Weights for pallet_subnets.
//!
//! The weight functions of the pallet's calls and hooks, and rough values for tests (`()`).
//! The runtime uses the benchmarked weights that `scripts/bench.sh` generates into
//! `runtime/src/weights/`.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weight functions needed for pallet_subnets.
pub trait WeightInfo {
	fn register_network() -> Weight;
	/// `dissolve_network`: O(1) now; the per-UID storage is cleared later.
	fn dissolve_network() -> Weight;
	fn burned_register(n: u32) -> Weight;
	fn set_hyperparameter() -> Weight;
	fn serve_axon() -> Weight;
	fn set_subnet_limit() -> Weight;
	fn associate_hotkey() -> Weight;
	fn on_initialize(s: u32) -> Weight;
	/// Clearing `k` storage keys of a dissolved subnet in `on_initialize`.
	fn clear_dissolved(k: u32) -> Weight;
}

/// Rough values for tests; never used by the runtime.
impl WeightInfo for () {
	fn register_network() -> Weight {
		Weight::from_parts(120_000_000, 6000)
	}
	fn dissolve_network() -> Weight {
		Weight::from_parts(90_000_000, 6000)
	}
	fn burned_register(_n: u32) -> Weight {
		Weight::from_parts(110_000_000, 6000)
	}
	fn set_hyperparameter() -> Weight {
		Weight::from_parts(40_000_000, 4000)
	}
	fn serve_axon() -> Weight {
		Weight::from_parts(40_000_000, 4000)
	}
	fn associate_hotkey() -> Weight {
		Weight::from_parts(60_000_000, 3000).saturating_add(RocksDbWeight::get().reads_writes(1, 2))
	}
	fn set_subnet_limit() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
	fn on_initialize(_s: u32) -> Weight {
		Weight::from_parts(5_000_000, 1500).saturating_add(RocksDbWeight::get().reads(1))
	}
	fn clear_dissolved(k: u32) -> Weight {
		Weight::from_parts(2_000_000, 1000)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1).saturating_mul(k.into()))
	}
}
