//! Placeholder until `scripts/bench.sh` generates this file.

use core::marker::PhantomData;
use frame_support::weights::Weight;

pub struct WeightInfo<T>(PhantomData<T>);
impl<T: frame_system::Config> pallet_weights::WeightInfo for WeightInfo<T> {
	fn set_weights(n: u32) -> Weight {
		<() as pallet_weights::WeightInfo>::set_weights(n)
	}
	fn commit_weights() -> Weight {
		<() as pallet_weights::WeightInfo>::commit_weights()
	}
	fn reveal_weights(n: u32) -> Weight {
		<() as pallet_weights::WeightInfo>::reveal_weights(n)
	}
	fn epoch(n: u32) -> Weight {
		<() as pallet_weights::WeightInfo>::epoch(n)
	}
	fn on_initialize(s: u32) -> Weight {
		<() as pallet_weights::WeightInfo>::on_initialize(s)
	}
}
