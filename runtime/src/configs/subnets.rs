//! Subnets: registration prices, limits and the default hyperparameters of a new subnet.

use frame_support::{parameter_types, traits::ConstU16};
use myelin_primitives::{
	time::{DAYS, HOURS, MINUTES},
	units::MYL,
	Balance, BlockNumber, SubnetHyperparams,
};

use crate::{Balances, Runtime, RuntimeHoldReason};

/// The most subnets that can exist at once: the subnets pallet's `MaxSubnets`, which every other
/// pallet's per-subnet bound reads (through `SubnetInfo::max_subnets`) or derives from here.
pub const MAX_SUBNETS: u16 = 64;

parameter_types! {
	/// A new subnet starts with the documented defaults of [`SubnetHyperparams`].
	pub DefaultHyperparams: SubnetHyperparams = SubnetHyperparams::default();
	/// The lock never drops below 1,000 MYL: a subnet is a long-lived commitment.
	pub const MinLockCost: Balance = 1_000 * MYL;
	/// After a registration the doubled lock decays back over two weeks.
	pub const LockReductionInterval: BlockNumber = 14 * DAYS;
	/// At most one new subnet per hour.
	pub const NetworkRateLimit: BlockNumber = HOURS;
	/// An owner changes each hyperparameter at most every 10 minutes.
	pub const HyperparameterRateLimit: BlockNumber = 10 * MINUTES;
}

impl pallet_subnets::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = super::SubnetsGovernance;
	type NeuronEmission = crate::Yuma;
	type OnNeuronChange = (crate::Yuma, crate::Emission, crate::Inference);
	type DefaultHyperparams = DefaultHyperparams;
	type MinLockCost = MinLockCost;
	type LockReductionInterval = LockReductionInterval;
	type NetworkRateLimit = NetworkRateLimit;
	type MaxSubnets = ConstU16<MAX_SUBNETS>;
	type HyperparameterRateLimit = HyperparameterRateLimit;
	type WeightInfo = crate::weights::pallet_subnets::WeightInfo<Runtime>;
}
