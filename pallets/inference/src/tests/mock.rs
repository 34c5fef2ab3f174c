//! A runtime with System and Inference, a scripted subnet registry, and test keys and
//! transactions for the off-chain workers. The validator's weight calls are remarks carrying the
//! vector, so tests can read what a worker would set.

use core::cell::RefCell;
use std::collections::BTreeMap;

use codec::Encode;
use frame_support::{derive_impl, parameter_types, traits::Hooks};
use frame_system::offchain::{
	AppCrypto, CreateSignedTransaction, CreateTransactionBase, SigningTypes,
};
use myelin_primitives::{BlockNumber, NetUid, SubnetHyperparams, SubnetInfo, Uid, ValidatorStatus};
use sp_core::H256;
use sp_runtime::{
	testing::{TestSignature, UintAuthorityId},
	BuildStorage,
};

use crate as pallet_inference;
use crate::{RoundInfo, TaskSpec, WeightCalls};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Inference: pallet_inference,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The owner of every test subnet.
pub const OWNER: AccountId = 100;
/// The test subnet.
pub const NETUID: NetUid = 1;

thread_local! {
	/// Hotkeys by UID of each subnet.
	static NEURONS: RefCell<BTreeMap<NetUid, Vec<AccountId>>> = const { RefCell::new(BTreeMap::new()) };
	/// Hyperparameters of each subnet.
	static PARAMS: RefCell<BTreeMap<NetUid, SubnetHyperparams>> = const { RefCell::new(BTreeMap::new()) };
	/// UIDs with a validator permit.
	pub static PERMITS: RefCell<Vec<(NetUid, Uid)>> = const { RefCell::new(Vec::new()) };
	/// Each subnet's epoch index (how many epochs it has run).
	pub static EPOCHS: RefCell<BTreeMap<NetUid, u64>> = const { RefCell::new(BTreeMap::new()) };
}

/// Creates (or replaces) `netuid` with `hotkeys` as UIDs `0..`.
pub fn set_neurons(netuid: NetUid, hotkeys: Vec<AccountId>) {
	NEURONS.with(|n| n.borrow_mut().insert(netuid, hotkeys));
	PARAMS.with(|p| {
		p.borrow_mut().entry(netuid).or_insert(SubnetHyperparams {
			weights_set_rate_limit: 0,
			..SubnetHyperparams::default()
		});
	});
}

/// Changes `netuid`'s hyperparameters.
pub fn set_params(netuid: NetUid, change: impl FnOnce(&mut SubnetHyperparams)) {
	PARAMS.with(|p| p.borrow_mut().get_mut(&netuid).map(change));
}

pub struct Subnets;
impl SubnetInfo<AccountId> for Subnets {
	fn exists(netuid: NetUid) -> bool {
		NEURONS.with(|n| n.borrow().contains_key(&netuid))
	}
	fn netuids() -> Vec<NetUid> {
		NEURONS.with(|n| n.borrow().keys().copied().collect())
	}
	fn owner(netuid: NetUid) -> Option<AccountId> {
		Self::exists(netuid).then_some(OWNER)
	}
	fn hyperparams(netuid: NetUid) -> Option<SubnetHyperparams> {
		PARAMS.with(|p| p.borrow().get(&netuid).cloned())
	}
	fn neuron_count(netuid: NetUid) -> u16 {
		Self::hotkeys(netuid).len() as u16
	}
	fn hotkey_of_uid(netuid: NetUid, uid: Uid) -> Option<AccountId> {
		Self::hotkeys(netuid).get(usize::from(uid)).copied()
	}
	fn uid_of_hotkey(netuid: NetUid, hotkey: &AccountId) -> Option<Uid> {
		Self::hotkeys(netuid).iter().position(|h| h == hotkey).map(|p| p as Uid)
	}
	fn hotkeys(netuid: NetUid) -> Vec<AccountId> {
		NEURONS.with(|n| n.borrow().get(&netuid).cloned().unwrap_or_default())
	}
	fn neurons(netuid: NetUid) -> Vec<(AccountId, BlockNumber)> {
		Self::hotkeys(netuid).into_iter().map(|hotkey| (hotkey, 0)).collect()
	}
	fn hotkey_owner(_: &AccountId) -> Option<AccountId> {
		Some(OWNER)
	}
	fn owned_hotkeys(_: &AccountId) -> Vec<AccountId> {
		Vec::new()
	}
	fn max_subnets() -> u16 {
		8
	}
}

/// A weight call as the validator worker builds it, carried in a remark.
#[derive(Encode, codec::Decode, Clone, PartialEq, Eq, Debug)]
pub enum WeightCall {
	Set { netuid: NetUid, uids: Vec<Uid>, values: Vec<u16>, version_key: u64 },
	Commit { netuid: NetUid, hash: H256 },
	Reveal { netuid: NetUid, uids: Vec<Uid>, values: Vec<u16>, salt: Vec<u16>, version_key: u64 },
}

fn remark(call: WeightCall) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: call.encode() })
}

pub struct MockWeights;
impl ValidatorStatus for MockWeights {
	fn has_permit(netuid: NetUid, uid: Uid) -> bool {
		PERMITS.with(|p| p.borrow().contains(&(netuid, uid)))
	}
	fn last_update(_: NetUid, _: Uid) -> BlockNumber {
		0
	}
	fn epoch_index(netuid: NetUid) -> u64 {
		EPOCHS.with(|e| e.borrow().get(&netuid).copied().unwrap_or_default())
	}
}
impl WeightCalls<AccountId, RuntimeCall> for MockWeights {
	fn set_weights(
		netuid: NetUid,
		uids: Vec<Uid>,
		values: Vec<u16>,
		version_key: u64,
	) -> RuntimeCall {
		remark(WeightCall::Set { netuid, uids, values, version_key })
	}
	fn commit_weights(netuid: NetUid, hash: H256) -> RuntimeCall {
		remark(WeightCall::Commit { netuid, hash })
	}
	fn reveal_weights(
		netuid: NetUid,
		uids: Vec<Uid>,
		values: Vec<u16>,
		salt: Vec<u16>,
		version_key: u64,
	) -> RuntimeCall {
		remark(WeightCall::Reveal { netuid, uids, values, salt, version_key })
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
		// The real formula, so these tests fail if the Yuma pallet's changes.
		pallet_yuma::commit_hash(hotkey, netuid, epoch, uids, values, salt, version_key)
	}
}

impl SigningTypes for Test {
	type Public = UintAuthorityId;
	type Signature = TestSignature;
}

/// A transaction a worker submitted: `(signer, call)`.
pub type Extrinsic = sp_runtime::generic::UncheckedExtrinsic<AccountId, RuntimeCall, (), ()>;

impl CreateTransactionBase<RuntimeCall> for Test {
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl CreateSignedTransaction<RuntimeCall> for Test {
	fn create_signed_transaction<C: AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		_public: UintAuthorityId,
		account: AccountId,
		_nonce: <Test as frame_system::Config>::Nonce,
	) -> Option<Extrinsic> {
		Some(Extrinsic::new_signed(call, account, (), ()))
	}
}

/// The test keystore: `UintAuthorityId::set_all_keys` decides which hotkeys a worker holds.
pub struct TestKey;
impl AppCrypto<UintAuthorityId, TestSignature> for TestKey {
	type RuntimeAppPublic = UintAuthorityId;
	type GenericPublic = UintAuthorityId;
	type GenericSignature = TestSignature;
}

parameter_types! {
	pub static RoundsKept: u32 = 3;
	pub static MaxPrunedPerBlock: u32 = 5;
}

#[derive_impl(pallet_inference::config_preludes::TestDefaultConfig)]
impl pallet_inference::Config for Test {
	type Subnets = Subnets;
	type ValidatorStatus = MockWeights;
	type WeightCalls = MockWeights;
	type MinerKey = TestKey;
	type ValidatorKey = TestKey;
	type RoundsKept = RoundsKept;
	type MaxPrunedPerBlock = MaxPrunedPerBlock;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct Helper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for Helper {
	fn subnet_with_neurons(n: u16) -> (NetUid, AccountId, Vec<AccountId>) {
		let netuid = (2..).find(|id| !Subnets::exists(*id)).unwrap();
		let hotkeys: Vec<AccountId> =
			(0..u64::from(n)).map(|i| 1_000 * u64::from(netuid) + i).collect();
		set_neurons(netuid, hotkeys.clone());
		(netuid, OWNER, hotkeys)
	}
}

/// A valid task: tiny outputs, 4 inputs, rounds every 6 blocks (commit 3, reveal 2), τ 0.9.
pub fn spec() -> TaskSpec {
	TaskSpec {
		model: [7; 32],
		dimensions: 8,
		inputs_per_round: 4,
		interval: 6,
		commit_window: 3,
		reveal_window: 2,
		score_threshold: 900_000,
		speed_weight: 300_000,
		audit_rate: 0,
	}
}

/// Fresh state with subnet [`NETUID`]: UID 0 is hotkey 10, UIDs 1..=3 are hotkeys 1..=3.
pub fn new_test_ext() -> sp_io::TestExternalities {
	NEURONS.with(|n| n.borrow_mut().clear());
	PARAMS.with(|p| p.borrow_mut().clear());
	PERMITS.with(|p| p.borrow_mut().clear());
	EPOCHS.with(|e| e.borrow_mut().clear());
	set_neurons(NETUID, vec![10, 1, 2, 3]);
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Moves to the next block and runs its `on_initialize`.
pub fn next_block() {
	let next = System::block_number() + 1;
	System::set_parent_hash(H256::repeat_byte(next as u8));
	System::set_block_number(next);
	Inference::on_initialize(next);
}

/// Runs blocks up to `block`.
pub fn run_to(block: u64) {
	while System::block_number() < block {
		next_block();
	}
}

/// The current round of [`NETUID`].
pub fn round() -> RoundInfo {
	crate::CurrentRound::<Test>::get(NETUID).unwrap()
}
