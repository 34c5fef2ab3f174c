//! Emission: 1 MYL per block, halving toward the 21M MYL cap; subnet owners keep 18%.

use frame_support::parameter_types;
use myelin_primitives::{
	units::{MYL, SUPPLY_CAP},
	Balance,
};
use sp_runtime::Perbill;

use crate::{Balances, Runtime, Stake, Subnets};

parameter_types! {
	/// One MYL per block until the first halving (at half the cap).
	pub const InitialBlockEmission: Balance = MYL;
	pub const SupplyCap: Balance = SUPPLY_CAP;
	/// Subnet owners receive 18% of their subnet's emission unless governance decides otherwise.
	pub const DefaultOwnerCut: Perbill = Perbill::from_percent(18);
}

impl pallet_emission::Config for Runtime {
	type Currency = Balances;
	type Subnets = Subnets;
	type Stake = Stake;
	type GovernanceOrigin = super::SubnetsGovernance;
	type InitialBlockEmission = InitialBlockEmission;
	type SupplyCap = SupplyCap;
	type DefaultOwnerCut = DefaultOwnerCut;
	type WeightInfo = crate::weights::pallet_emission::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::benchmark_helpers::Helper;
}
