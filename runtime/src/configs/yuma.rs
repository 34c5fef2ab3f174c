//! Yuma: how many epochs share a block and how many weight commits a hotkey may hold.

use frame_support::traits::ConstU32;

use crate::{Runtime, Stake, Subnets};

impl pallet_yuma::Config for Runtime {
	type Subnets = Subnets;
	type Stake = Stake;
	type Payout = crate::Emission;
	/// Two full-size epochs fit well within a block's weight; more are deferred.
	type MaxEpochsPerBlock = ConstU32<2>;
	type MaxCommits = ConstU32<10>;
	type WeightInfo = crate::weights::pallet_yuma::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::benchmark_helpers::Helper;
}
