//! Stake: minimum position and delegate take limits.

use frame_support::{parameter_types, traits::ConstU128};
use myelin_primitives::{time::DAYS, units::MILLI_MYL, BlockNumber};
use sp_runtime::Perbill;

use crate::{Balances, Runtime, RuntimeHoldReason};

parameter_types! {
	/// Delegates keep at most 18% of their stakers' rewards.
	pub const MaxTake: Perbill = Perbill::from_percent(18);
	/// A hotkey's take until its owner sets one.
	pub const DefaultTake: Perbill = Perbill::from_percent(18);
	/// A take increase applies a day after its announcement, so stakers can leave first.
	pub const TakeIncreaseDelay: BlockNumber = DAYS;
}

impl pallet_stake::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Subnets = crate::Subnets;
	/// 0.1 MYL.
	type MinStake = ConstU128<{ 100 * MILLI_MYL }>;
	type MaxTake = MaxTake;
	type DefaultTake = DefaultTake;
	type TakeIncreaseDelay = TakeIncreaseDelay;
	type WeightInfo = crate::weights::pallet_stake::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegisteredHotkey;
}

/// Gives benchmarks a registered hotkey through the subnets pallet.
#[cfg(feature = "runtime-benchmarks")]
pub struct RegisteredHotkey;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_stake::BenchmarkHelper<crate::AccountId> for RegisteredHotkey {
	fn register_hotkey(
		coldkey: &crate::AccountId,
		hotkey: &crate::AccountId,
	) -> myelin_primitives::NetUid {
		pallet_subnets::Pallet::<Runtime>::benchmark_register_hotkey(coldkey, hotkey)
			.unwrap_or_default()
	}
}
