//! # Myelin runtime
//!
//! The state transition function of the Myelin chain. It is compiled twice: natively (for tests
//! and tools that want the types) and to WASM, which is what the node executes and what runtime
//! upgrades replace. This crate only wires: the pallets, their configuration (`configs/`), the
//! runtime APIs the node and wallets call (`apis.rs`) and the genesis presets
//! (`genesis_config_presets.rs`). Logic belongs to pallets and primitives.
//!
//! Token: MYL, 9 decimals, SS58 prefix 42 (see `myelin-primitives`).

#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects))]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

// Declared first: `define_benchmarks!` creates the macros `apis.rs` uses.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
#[cfg(feature = "std")]
pub mod signing;
pub mod views;
pub mod weights;

use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256};
use sp_version::RuntimeVersion;

pub use myelin_primitives::{
	units::{MICRO_MYL, MILLI_MYL, MYL},
	AccountId, Balance, BlockNumber, Hash, Nonce, Signature,
};

/// Opaque types: what the node needs to know about blocks without knowing the runtime's calls.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a Myelin authority: Aura for authoring, GRANDPA for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The version of this runtime. `spec_version` must increase with every upgrade that changes
/// behaviour; `transaction_version` whenever call indices or extrinsic encoding change.
#[cfg(not(feature = "upgrade-fixture"))]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("myelin"),
	impl_name: alloc::borrow::Cow::Borrowed("myelin-node"),
	authoring_version: 1,
	spec_version: 103,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// The same runtime with the next `spec_version`: what the end-to-end test of a runtime upgrade
/// by referendum enacts (`scripts/test.sh` builds it with the `upgrade-fixture` feature). Never
/// part of a release.
#[cfg(feature = "upgrade-fixture")]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("myelin"),
	impl_name: alloc::borrow::Cow::Borrowed("myelin-node"),
	authoring_version: 1,
	spec_version: 104,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The address format for describing accounts.
pub type Address = sp_runtime::MultiAddress<AccountId, ()>;

/// The transaction extensions, checked in order for every signed transaction. This is the
/// standard Substrate set, so polkadot.js, subxt and py-substrate-interface sign for Myelin
/// without custom configuration.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
);

/// The transaction extensions of a transaction valid in `era` with the given nonce and tip (what
/// tools and the off-chain workers sign).
pub fn tx_extension(era: generic::Era, nonce: Nonce, tip: Balance) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(era),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(tip),
	)
}

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// All migrations of the runtime, applied in order on upgrade.
type Migrations = (
	pallet_inference::migrations::MigrateV1ToV2<Runtime>,
	pallet_inference::migrations::MigrateV2ToV3<Runtime>,
	pallet_subnets::migrations::MigrateV2ToV3<Runtime>,
	// After the neuron pages exist: it reads them.
	pallet_stake::migrations::MigrateV1ToV2<Runtime>,
);

/// Executive: dispatches incoming extrinsic calls to the respective pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(10)]
	pub type Subnets = pallet_subnets;

	#[runtime::pallet_index(11)]
	pub type Stake = pallet_stake;

	// Yuma runs each block's epochs before Emission accrues the block's emission.
	#[runtime::pallet_index(12)]
	pub type Yuma = pallet_yuma;

	#[runtime::pallet_index(13)]
	pub type Emission = pallet_emission;

	#[runtime::pallet_index(14)]
	pub type Inference = pallet_inference;

	// Governance: the scheduler enacts passed referenda in its `on_initialize`.
	#[runtime::pallet_index(20)]
	pub type Scheduler = pallet_scheduler;

	#[runtime::pallet_index(21)]
	pub type Preimage = pallet_preimage;

	#[runtime::pallet_index(22)]
	pub type Referenda = pallet_referenda;

	#[runtime::pallet_index(23)]
	pub type ConvictionVoting = pallet_conviction_voting;

	#[runtime::pallet_index(24)]
	pub type Governance = pallet_governance;
}
