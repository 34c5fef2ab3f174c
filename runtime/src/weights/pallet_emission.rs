//! Placeholder until `scripts/bench.sh` generates this file.

use core::marker::PhantomData;
use frame_support::weights::Weight;

pub struct WeightInfo<T>(PhantomData<T>);
impl<T: frame_system::Config> pallet_emission::WeightInfo for WeightInfo<T> {
	fn set_split_mode() -> Weight {
		<() as pallet_emission::WeightInfo>::set_split_mode()
	}
	fn set_owner_cut() -> Weight {
		<() as pallet_emission::WeightInfo>::set_owner_cut()
	}
	fn on_initialize(s: u32) -> Weight {
		<() as pallet_emission::WeightInfo>::on_initialize(s)
	}
	fn on_idle_base() -> Weight {
		<() as pallet_emission::WeightInfo>::on_idle_base()
	}
	fn credit(p: u32) -> Weight {
		<() as pallet_emission::WeightInfo>::credit(p)
	}
}
