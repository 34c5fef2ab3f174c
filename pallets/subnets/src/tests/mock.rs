//! A minimal runtime for the subnets pallet: System, Balances, Subnets, with recording hooks.

use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, Hooks},
};
use myelin_primitives::{NetUid, NeuronEmission, OnNeuronChange, SubnetHyperparams, Uid};
use sp_runtime::BuildStorage;

use crate as pallet_subnets;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u128;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Subnets: pallet_subnets,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
}

pub const UNIT: Balance = crate::config_preludes::TEST_UNIT;
pub const MIN_LOCK: Balance = 100 * UNIT;
pub const LOCK_INTERVAL: u32 = 100;
pub const NETWORK_RATE_LIMIT: u32 = 10;
pub const PARAM_RATE_LIMIT: u32 = 20;

parameter_types! {
	pub static DefaultParams: SubnetHyperparams = SubnetHyperparams {
		max_allowed_uids: 4,
		max_allowed_validators: 2,
		immunity_period: 10,
		min_burn: UNIT,
		max_burn: 100 * UNIT,
		burn_half_life: 10,
		burn_increase_mult: 200,
		serving_rate_limit: 5,
		..SubnetHyperparams::default()
	};
	pub const MinLock: Balance = MIN_LOCK;
}

thread_local! {
	static EMISSIONS: RefCell<Vec<(NetUid, Uid, u64)>> = const { RefCell::new(Vec::new()) };
	static CHANGES: RefCell<Vec<Change>> = const { RefCell::new(Vec::new()) };
	/// Storage keys the other pallets still hold for a dissolved subnet.
	pub static OTHER_KEYS: RefCell<u32> = const { RefCell::new(0) };
}

/// A call recorded by [`RecordChanges`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
	Replaced(NetUid, Uid, AccountId, AccountId),
	Registered(NetUid, Uid, AccountId),
	Removed(NetUid),
	/// `clear_subnet(netuid, limit)` removed this many keys.
	Cleared(NetUid, u32),
}

/// Emission scores the tests set per UID.
pub struct MockEmission;
impl NeuronEmission for MockEmission {
	fn emissions(netuid: NetUid) -> Vec<u64> {
		let mut emissions = Vec::new();
		EMISSIONS.with(|e| {
			for &(_, uid, value) in e.borrow().iter().filter(|(n, _, _)| *n == netuid) {
				let at = usize::from(uid);
				if emissions.len() <= at {
					emissions.resize(at + 1, 0);
				}
				emissions[at] = value;
			}
		});
		emissions
	}
}

pub fn set_emission(netuid: NetUid, uid: Uid, value: u64) {
	EMISSIONS.with(|e| {
		let mut e = e.borrow_mut();
		e.retain(|(n, u, _)| !(*n == netuid && *u == uid));
		e.push((netuid, uid, value));
	});
}

/// Records every hook call.
pub struct RecordChanges;
impl OnNeuronChange<AccountId> for RecordChanges {
	fn on_neuron_replaced(netuid: NetUid, uid: Uid, old: &AccountId, new: &AccountId) {
		CHANGES.with(|c| c.borrow_mut().push(Change::Replaced(netuid, uid, *old, *new)));
	}
	fn on_neuron_registered(netuid: NetUid, uid: Uid, hotkey: &AccountId) {
		CHANGES.with(|c| c.borrow_mut().push(Change::Registered(netuid, uid, *hotkey)));
	}
	fn on_subnet_removed(netuid: NetUid) {
		CHANGES.with(|c| c.borrow_mut().push(Change::Removed(netuid)));
	}
	fn clear_subnet(netuid: NetUid, limit: u32) -> myelin_primitives::SubnetClearing {
		let removed = OTHER_KEYS.with(|k| {
			let mut left = k.borrow_mut();
			let removed = (*left).min(limit);
			*left -= removed;
			removed
		});
		CHANGES.with(|c| c.borrow_mut().push(Change::Cleared(netuid, removed)));
		myelin_primitives::SubnetClearing { removed, done: OTHER_KEYS.with(|k| *k.borrow() == 0) }
	}
}

pub fn changes() -> Vec<Change> {
	CHANGES.with(|c| c.borrow().clone())
}

#[derive_impl(pallet_subnets::config_preludes::TestDefaultConfig)]
impl pallet_subnets::Config for Test {
	type Currency = Balances;
	type NeuronEmission = MockEmission;
	type OnNeuronChange = RecordChanges;
	type DefaultHyperparams = DefaultParams;
	type MinLockCost = MinLock;
	type LockReductionInterval = ConstU32<LOCK_INTERVAL>;
	type NetworkRateLimit = ConstU32<NETWORK_RATE_LIMIT>;
	type HyperparameterRateLimit = ConstU32<PARAM_RATE_LIMIT>;
	type HotkeySignature = sp_runtime::testing::TestSignature;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestConsent;
}

/// Consents made of test signatures.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestConsent;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, sp_runtime::testing::TestSignature> for TestConsent {
	fn hotkey_consent(coldkey: &AccountId) -> (AccountId, sp_runtime::testing::TestSignature) {
		let hotkey = 7_777;
		(hotkey, consent_signature(*coldkey, hotkey))
	}
}

/// `hotkey`'s signature of its consent to `coldkey` (test signatures: the signer and the
/// message).
pub fn consent_signature(
	coldkey: AccountId,
	hotkey: AccountId,
) -> sp_runtime::testing::TestSignature {
	sp_runtime::testing::TestSignature(hotkey, Subnets::consent_payload(&coldkey))
}

/// `hotkey` consents to `coldkey`, unless some coldkey owns it already (or it is `coldkey`).
pub fn consent(coldkey: AccountId, hotkey: AccountId) {
	if coldkey != hotkey && !crate::Owner::<Test>::contains_key(hotkey) {
		frame_support::assert_ok!(Subnets::associate_hotkey(
			RuntimeOrigin::signed(coldkey),
			hotkey,
			consent_signature(coldkey, hotkey)
		));
	}
}

/// Coldkeys 1..=5 start with 10,000 units each; 99 starts poor.
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const POOR: AccountId = 99;
pub const RICH: Balance = 10_000 * UNIT;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, RICH), (2, RICH), (3, RICH), (4, RICH), (5, RICH), (POOR, UNIT / 2)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to `n`, calling the pallet's `on_initialize` for each.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Subnets::on_initialize(next);
	}
}

/// Registers a subnet owned by `owner` with hotkey `hotkey`; returns its netuid.
pub fn add_network(owner: AccountId, hotkey: AccountId) -> NetUid {
	consent(owner, hotkey);
	frame_support::assert_ok!(Subnets::register_network(RuntimeOrigin::signed(owner), hotkey));
	crate::Networks::<Test>::iter()
		.find(|(_, info)| info.owner_hotkey == hotkey)
		.map(|(netuid, _)| netuid)
		.unwrap()
}

/// The last event of this pallet.
pub fn last_event() -> crate::Event<Test> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Subnets(e) = r.event { Some(e) } else { None })
		.next_back()
		.expect("an event")
}

/// Checks the pallet's invariants.
pub fn check_invariants() {
	crate::Pallet::<Test>::do_try_state().unwrap();
}
