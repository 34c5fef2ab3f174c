//! Weights for pallet_yuma.
//!
//! The weight functions of the pallet's calls and hooks, and rough values for tests (`()`).
//! The runtime uses the benchmarked weights that `scripts/bench.sh` generates into
//! `runtime/src/weights/`.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weight functions needed for pallet_yuma.
pub trait WeightInfo {
	/// `set_weights` with `n` weights.
	fn set_weights(n: u32) -> Weight;
	fn commit_weights() -> Weight;
	/// `reveal_weights` with `n` weights.
	fn reveal_weights(n: u32) -> Weight;
	/// One epoch of a subnet with `n` neurons and `v` validator permits (validators setting full
	/// rows, with bonds), with its payout.
	fn epoch(n: u32, v: u32) -> Weight;
	/// `on_initialize` checking `s` subnets for due epochs, running none.
	fn on_initialize(s: u32) -> Weight;
}

/// Rough values for tests; never used by the runtime.
impl WeightInfo for () {
	fn set_weights(n: u32) -> Weight {
		Weight::from_parts(30_000_000, 10_000)
			.saturating_add(Weight::from_parts(50_000, 4).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(5, 2))
	}
	fn commit_weights() -> Weight {
		Weight::from_parts(20_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(3, 1))
	}
	fn reveal_weights(n: u32) -> Weight {
		Self::set_weights(n).saturating_add(Self::commit_weights())
	}
	fn epoch(n: u32, v: u32) -> Weight {
		Weight::from_parts(1_000_000, 20_000)
			.saturating_add(Weight::from_parts(500_000, 1_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(3, 3).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1).saturating_mul(v.into()))
			.saturating_add(
				Weight::from_parts(200_000, 0)
					.saturating_mul(u64::from(n).saturating_mul(v.into())),
			)
	}
	fn on_initialize(s: u32) -> Weight {
		Weight::from_parts(2_000_000, 1000)
			.saturating_add(RocksDbWeight::get().reads(2).saturating_mul(s.into()))
	}
}
