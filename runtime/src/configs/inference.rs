//! Inference subnets: task bounds, how long rounds are kept, and the off-chain workers' signed
//! transactions (the node's hotkeys sign them like any wallet would).

use alloc::vec::Vec;
use codec::Encode;
use frame_support::{parameter_types, traits::ConstU32};
use frame_system::offchain;
use myelin_primitives::{NetUid, Uid};
use sp_core::H256;
use sp_runtime::{generic::Era, traits::StaticLookup, SaturatedConversion};

use crate::{
	AccountId, Address, Nonce, Runtime, RuntimeCall, Signature, SignedPayload, Subnets,
	UncheckedExtrinsic,
};

parameter_types! {
	/// Up to 16 inputs of up to 1024 values: a reveal is at most 16 KiB of outputs.
	pub const MaxInputs: u32 = 16;
	pub const MaxDimensions: u32 = 1024;
}

impl pallet_inference::Config for Runtime {
	type Subnets = Subnets;
	/// Overriding a subnet's task (it replaces every miner's work) needs Root (a `root`
	/// referendum), not `subnet-params`.
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type ValidatorStatus = crate::Yuma;
	type WeightCalls = WeightCalls;
	type MinerKey = pallet_inference::crypto::miner::MinerAuthId;
	type ValidatorKey = pallet_inference::crypto::validator::ValidatorAuthId;
	type MaxInputs = MaxInputs;
	type MaxDimensions = MaxDimensions;
	/// The current round and the two before it: validators have a full round to score one.
	type RoundsKept = ConstU32<3>;
	type MaxPrunedPerBlock = ConstU32<512>;
	/// Two rounds per subnet can wait.
	type MaxPendingPrunes = ConstU32<{ 2 * super::subnets::MAX_SUBNETS as u32 }>;
	/// 32 miners (up to 512 embeddings) per worker run: a full 4096-UID subnet's round is
	/// scored over 128 runs, each a few seconds, well within the worker lock's deadline.
	type MinersScoredPerRun = ConstU32<32>;
	type WeightInfo = crate::weights::pallet_inference::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::benchmark_helpers::Helper;
}

/// The Yuma pallet's calls, as the validator worker submits them.
pub struct WeightCalls;

impl pallet_inference::WeightCalls<AccountId, RuntimeCall> for WeightCalls {
	fn set_weights(
		netuid: NetUid,
		uids: Vec<Uid>,
		values: Vec<u16>,
		version_key: u64,
	) -> RuntimeCall {
		pallet_yuma::Call::set_weights { netuid, uids, values, version_key }.into()
	}

	fn commit_weights(netuid: NetUid, hash: H256) -> RuntimeCall {
		pallet_yuma::Call::commit_weights { netuid, hash }.into()
	}

	fn reveal_weights(
		netuid: NetUid,
		uids: Vec<Uid>,
		values: Vec<u16>,
		salt: Vec<u16>,
		version_key: u64,
	) -> RuntimeCall {
		// The worker's salts are 16 words, within the call's bound.
		let salt = frame_support::BoundedVec::truncate_from(salt);
		pallet_yuma::Call::reveal_weights { netuid, uids, values, salt, version_key }.into()
	}

	fn commit_hash(
		hotkey: &AccountId,
		netuid: NetUid,
		epoch: u64,
		uids: &[Uid],
		values: &[u16],
		salt: &[u16],
		version_key: u64,
	) -> H256 {
		pallet_yuma::commit_hash(hotkey, netuid, epoch, uids, values, salt, version_key)
	}
}

impl offchain::SigningTypes for Runtime {
	type Public = <Signature as sp_runtime::traits::Verify>::Signer;
	type Signature = Signature;
}

impl<C> offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

/// Blocks an off-chain worker's transaction stays valid: long enough to be included, short
/// enough that a stale answer does not linger in pools.
const WORKER_TX_LIFETIME: u64 = 16;

impl<C> offchain::CreateSignedTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_signed_transaction<A: offchain::AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		public: Self::Public,
		account: AccountId,
		nonce: Nonce,
	) -> Option<UncheckedExtrinsic> {
		let current: u64 = frame_system::Pallet::<Runtime>::block_number().saturated_into();
		let era = Era::mortal(WORKER_TX_LIFETIME, current.saturating_sub(1));
		let extension = crate::tx_extension(era, nonce, 0);
		let payload = SignedPayload::new(call, extension).ok()?;
		let signature = payload.using_encoded(|bytes| A::sign(bytes, public))?;
		let (call, extension, _) = payload.deconstruct();
		let address: Address = <Runtime as frame_system::Config>::Lookup::unlookup(account);
		Some(UncheckedExtrinsic::new_signed(call, address, signature, extension))
	}
}
