//! A runtime with System, Balances, the real Subnets pallet and Stake.

use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU16, ConstU32},
};
use frame_system::EnsureRoot;
use myelin_primitives::SubnetHyperparams;
use sp_runtime::{BuildStorage, Perbill};

use crate as pallet_stake;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u128;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Subnets: pallet_subnets,
		Stake: pallet_stake,
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
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

pub const UNIT: Balance = 1_000_000_000;
pub const MIN_STAKE: Balance = UNIT;
pub const TAKE_RATE_LIMIT: u32 = 10;

parameter_types! {
	pub DefaultParams: SubnetHyperparams = SubnetHyperparams {
		max_allowed_uids: 8,
		max_allowed_validators: 2,
		min_burn: UNIT,
		..SubnetHyperparams::default()
	};
	pub const MinLock: Balance = 10 * UNIT;
	pub const MaxTake: Perbill = Perbill::from_percent(18);
	pub const DefaultTake: Perbill = Perbill::from_percent(10);
}

impl pallet_subnets::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type NeuronEmission = ();
	type OnNeuronChange = ();
	type DefaultHyperparams = DefaultParams;
	type MinLockCost = MinLock;
	type LockReductionInterval = ConstU32<100>;
	type NetworkRateLimit = ConstU32<0>;
	type MaxSubnets = ConstU16<4>;
	type HyperparameterRateLimit = ConstU32<0>;
	type WeightInfo = ();
}

#[cfg(feature = "runtime-benchmarks")]
pub struct RegisterHotkey;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for RegisterHotkey {
	fn register_hotkey(coldkey: &AccountId, hotkey: &AccountId) {
		pallet_subnets::Pallet::<Test>::benchmark_set_hotkey_owner(coldkey, hotkey);
	}
}

impl pallet_stake::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Subnets = Subnets;
	type MinStake = ConstU128<MIN_STAKE>;
	type MaxTake = MaxTake;
	type DefaultTake = DefaultTake;
	type TakeIncreaseRateLimit = ConstU32<TAKE_RATE_LIMIT>;
	type MaxNominators = ConstU32<3>;
	type MaxStakedHotkeys = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegisterHotkey;
}

/// Coldkeys 1..=9 hold 1,000 units each.
pub const OWNER: AccountId = 1;
pub const NOMINATOR: AccountId = 2;
pub const OTHER: AccountId = 3;
/// Hotkey 100 (owned by OWNER) is registered on subnet 1 at UID 0.
pub const HOTKEY: AccountId = 100;
pub const FUNDS: Balance = 1_000 * UNIT;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9).map(|who| (who, FUNDS)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_subnets::GenesisConfig::<Test> { subnets: vec![(OWNER, HOTKEY, 10)] }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Registers `hotkey` for `coldkey` on subnet 1.
pub fn register(coldkey: AccountId, hotkey: AccountId) {
	frame_support::assert_ok!(Subnets::burned_register(
		RuntimeOrigin::signed(coldkey),
		1,
		hotkey,
		u128::MAX
	));
}

pub fn last_event() -> crate::Event<Test> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Stake(e) = r.event { Some(e) } else { None })
		.next_back()
		.expect("an event")
}

pub fn check_invariants() {
	crate::Pallet::<Test>::do_try_state().unwrap();
}

pub fn held(who: AccountId) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&crate::HoldReason::Staked.into(), &who)
}
