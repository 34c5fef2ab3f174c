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
	/// Dissolving any subnet needs Root (a `root` referendum), not `subnet-params`.
	type DissolveOrigin = frame_system::EnsureRoot<crate::AccountId>;
	type NeuronEmission = crate::Yuma;
	type OnNeuronChange = (crate::Stake, crate::Yuma, crate::Emission, crate::Inference);
	type DefaultHyperparams = DefaultHyperparams;
	type MinLockCost = MinLockCost;
	type LockReductionInterval = LockReductionInterval;
	type NetworkRateLimit = NetworkRateLimit;
	type MaxSubnets = ConstU16<MAX_SUBNETS>;
	/// About 0.14 s of the 2 s block: a full subnet's ~29,000 keys go in under 30 blocks.
	type MaxClearedPerBlock = frame_support::traits::ConstU32<1024>;
	type HyperparameterRateLimit = HyperparameterRateLimit;
	/// The chain's own signature type: a hotkey consents with the key that controls it.
	type HotkeySignature = crate::Signature;
	type WeightInfo = crate::weights::pallet_subnets::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = HotkeyConsent;
}

/// Makes a hotkey in the benchmark's keystore and signs its consent.
#[cfg(feature = "runtime-benchmarks")]
pub struct HotkeyConsent;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_subnets::BenchmarkHelper<crate::AccountId, crate::Signature> for HotkeyConsent {
	fn hotkey_consent(coldkey: &crate::AccountId) -> (crate::AccountId, crate::Signature) {
		use sp_runtime::traits::IdentifyAccount;
		const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"mhot");
		let public = sp_io::crypto::sr25519_generate(KEY_TYPE, None);
		let payload = pallet_subnets::Pallet::<Runtime>::consent_payload(coldkey);
		let signature = sp_io::crypto::sr25519_sign(KEY_TYPE, &public, &payload)
			.unwrap_or_else(|| sp_core::sr25519::Signature::from_raw([0; 64]));
		(sp_runtime::MultiSigner::from(public).into_account(), signature.into())
	}

	/// Yuma's weight rows are the largest per-UID values: one per UID, each naming every UID.
	// Benchmark setup: a row that does not fit its bound is a broken fixture.
	#[allow(clippy::expect_used)]
	fn full_neuron_rows(netuid: myelin_primitives::NetUid, rows: u32) {
		let full: pallet_yuma::SparseRow = (0..myelin_primitives::MAX_UIDS_HARD_CAP)
			.map(|uid| (uid, u16::MAX))
			.collect::<alloc::vec::Vec<_>>()
			.try_into()
			.expect("a full row fits MaxUids");
		for uid in 0..rows.min(u32::from(myelin_primitives::MAX_UIDS_HARD_CAP)) {
			pallet_yuma::Weights::<Runtime>::insert(netuid, uid as u16, full.clone());
		}
	}

	/// One MYL accrued by each UID's stake, as the epoch credits it.
	fn accrued_stakes(netuid: myelin_primitives::NetUid, uids: u16) {
		use myelin_primitives::StakeInfo;
		let credits: alloc::vec::Vec<_> = (0..uids).map(|uid| (uid, MYL)).collect();
		let credited =
			<crate::Stake as StakeInfo<crate::AccountId, Balance>>::credit_stakes(netuid, &credits);
		debug_assert!(credited.iter().all(Result::is_ok), "benchmark accruals credited");
	}
}
