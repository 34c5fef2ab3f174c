//! Yuma: how many epochs share a block.

use frame_support::traits::ConstU32;

use crate::{Runtime, Stake, Subnets};

impl pallet_yuma::Config for Runtime {
	type Subnets = Subnets;
	type Stake = Stake;
	type Payout = crate::Emission;
	/// A full-size epoch, paying every UID in its block, is estimated at about 1.3 s of the 2 s
	/// block weight (`docs/BENCHMARKS.md`): one per block, the rest deferred.
	type MaxEpochsPerBlock = ConstU32<1>;
	type WeightInfo = crate::weights::pallet_yuma::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::benchmark_helpers::Helper;
}
