//! The full economic stack: System, Balances, Subnets, Stake, Weights (paying through this
//! pallet) and Emission.

use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{ConstU128, ConstU16, ConstU32, Hooks},
	weights::Weight,
};
use frame_system::EnsureRoot;
use myelin_primitives::{NetUid, SubnetHyperparams, Uid};
use sp_runtime::{BuildStorage, Perbill};

use crate as pallet_emission;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u128;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Subnets: pallet_subnets,
		Stake: pallet_stake,
		Weights: pallet_weights,
		Emission: pallet_emission,
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
pub const TEMPO: u16 = 10;
/// A small cap so that tests cross halvings: 2,000 units.
pub const CAP: Balance = 2_000_000 * UNIT;
/// Funds of each of the 20 genesis coldkeys.
pub const FUNDS: Balance = 10_000 * UNIT;

parameter_types! {
	pub DefaultParams: SubnetHyperparams = SubnetHyperparams {
		tempo: TEMPO,
		max_allowed_uids: 8,
		max_allowed_validators: 3,
		min_burn: UNIT,
		immunity_period: 0,
		weights_set_rate_limit: 0,
		..SubnetHyperparams::default()
	};
	pub const MinLock: Balance = 10 * UNIT;
	pub const MaxTake: Perbill = Perbill::from_percent(18);
	pub const DefaultTake: Perbill = Perbill::from_percent(10);
	pub const OwnerCut: Perbill = Perbill::from_percent(18);
	pub static BlockEmission: Balance = UNIT;
}

impl pallet_subnets::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type NeuronEmission = Weights;
	type OnNeuronChange = (Weights, Emission);
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
impl pallet_stake::BenchmarkHelper<AccountId> for RegisterHotkey {
	fn register_hotkey(coldkey: &AccountId, hotkey: &AccountId) {
		pallet_subnets::Pallet::<Test>::benchmark_set_hotkey_owner(coldkey, hotkey);
	}
}

impl pallet_stake::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Subnets = Subnets;
	type MinStake = ConstU128<UNIT>;
	type MaxTake = MaxTake;
	type DefaultTake = DefaultTake;
	type TakeIncreaseRateLimit = ConstU32<10>;
	type MaxNominators = ConstU32<512>;
	type MaxStakedHotkeys = ConstU32<8>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegisterHotkey;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct WeightsHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_weights::BenchmarkHelper<AccountId> for WeightsHelper {
	fn subnet_with_neurons(n: u16, validators: u16) -> (NetUid, Vec<AccountId>) {
		let netuid = pallet_subnets::Networks::<Test>::count() as NetUid + 1;
		let hotkeys = subnet_with_neurons(netuid, n);
		for hotkey in hotkeys.iter().take(usize::from(validators)) {
			let owner = pallet_subnets::Owner::<Test>::get(hotkey).unwrap();
			assert_ok!(Stake::add_stake(RuntimeOrigin::signed(owner), *hotkey, UNIT));
		}
		(netuid, hotkeys)
	}
	fn set_hyperparams(netuid: NetUid, params: SubnetHyperparams) {
		pallet_subnets::Hyperparams::<Test>::insert(netuid, params);
	}
	fn fund_epoch(netuid: NetUid) {
		crate::Subnets::<Test>::mutate(|accounts| {
			let _ =
				accounts.try_insert(netuid, crate::SubnetAccount { stake: UNIT, pending: UNIT });
		});
		crate::Unminted::<Test>::mutate(|u| *u += UNIT);
		crate::TotalEmitted::<Test>::mutate(|t| *t += UNIT);
	}
}

impl pallet_weights::Config for Test {
	type Subnets = Subnets;
	type Stake = Stake;
	type Payout = Emission;
	type MaxEpochsPerBlock = ConstU32<4>;
	type MaxSubnets = ConstU32<4>;
	type MaxCommits = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = WeightsHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct Helper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for Helper {
	fn subnet() -> NetUid {
		NETUID
	}
	fn hotkey_with_positions(positions: u32) -> AccountId {
		// Hotkey 102 of coldkey 2, plus `positions − 1` nominators.
		register(NETUID, 2);
		stake(2, 1);
		for k in 1..positions {
			let nominator = 50_000 + AccountId::from(k);
			let _ = Balances::force_set_balance(RuntimeOrigin::root(), nominator, FUNDS);
			assert_ok!(Stake::add_stake(RuntimeOrigin::signed(nominator), 102, UNIT));
		}
		102
	}
}

impl pallet_emission::Config for Test {
	type Currency = Balances;
	type Subnets = Subnets;
	type Stake = Stake;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type InitialBlockEmission = BlockEmission;
	type SupplyCap = ConstU128<CAP>;
	type DefaultOwnerCut = OwnerCut;
	type MaxSubnets = ConstU32<4>;
	type MaxPayouts = ConstU32<16>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

/// Subnet 1: owner coldkey 1 with hotkey 101 at UID 0. Coldkeys 1..=20 hold `FUNDS`.
pub const OWNER: AccountId = 1;
pub const NETUID: NetUid = 1;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=20).map(|who| (who, FUNDS)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_subnets::GenesisConfig::<Test> { subnets: vec![(OWNER, 101, TEMPO)] }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Registers hotkey `100 + k` for coldkey `k` on `netuid`; returns its UID.
pub fn register(netuid: NetUid, k: AccountId) -> Uid {
	assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(k), netuid, 100 + k, u128::MAX));
	pallet_subnets::Uids::<Test>::get(netuid, 100 + k).unwrap()
}

/// Stakes `amount` units from coldkey `k` on its hotkey `100 + k`.
pub fn stake(k: AccountId, amount: Balance) {
	assert_ok!(Stake::add_stake(RuntimeOrigin::signed(k), 100 + k, amount * UNIT));
}

pub fn set_weights(hotkey: AccountId, netuid: NetUid, uids: Vec<u16>, values: Vec<u16>) {
	assert_ok!(Weights::set_weights(RuntimeOrigin::signed(hotkey), netuid, uids, values, 0));
}

/// Creates subnets up to `netuid` and fills it to `n` neurons (fresh funded coldkeys).
pub fn subnet_with_neurons(netuid: NetUid, n: u16) -> Vec<AccountId> {
	let mut owner = 1_000;
	while !pallet_subnets::Networks::<Test>::contains_key(netuid) {
		owner += 1;
		let _ = Balances::force_set_balance(RuntimeOrigin::root(), owner, FUNDS);
		assert_ok!(Subnets::register_network(RuntimeOrigin::signed(owner), owner + 1_000));
	}
	let mut params = pallet_subnets::Hyperparams::<Test>::get(netuid).unwrap();
	params.max_allowed_uids = params.max_allowed_uids.max(n);
	pallet_subnets::Hyperparams::<Test>::insert(netuid, params);
	let mut k = 0;
	while pallet_subnets::SubnetworkN::<Test>::get(netuid) < n {
		let coldkey = 20_000 + AccountId::from(netuid) * 1_000 + k;
		let _ = Balances::force_set_balance(RuntimeOrigin::root(), coldkey, FUNDS);
		assert_ok!(Subnets::burned_register(
			RuntimeOrigin::signed(coldkey),
			netuid,
			coldkey + 100_000,
			u128::MAX
		));
		k += 1;
	}
	<Subnets as myelin_primitives::SubnetInfo<AccountId>>::hotkeys(netuid)
}

/// Runs whole blocks up to `n`: every pallet's on_initialize, then Emission's on_idle with
/// `idle` weight.
pub fn run_to_block_with_idle(n: u64, idle: Weight) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Subnets::on_initialize(next);
		Weights::on_initialize(next);
		Emission::on_initialize(next);
		Emission::on_idle(next, idle);
	}
}

pub fn run_to_block(n: u64) {
	run_to_block_with_idle(n, Weight::MAX);
}

/// Runs to the next block in which `netuid`'s epoch is due.
pub fn run_to_epoch(netuid: NetUid) {
	let tempo = pallet_subnets::Hyperparams::<Test>::get(netuid).unwrap().tempo;
	let mut next = System::block_number() + 1;
	while !pallet_weights::Pallet::<Test>::epoch_due(netuid, tempo, next as u32) {
		next += 1;
	}
	run_to_block(next);
}

pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Emission(e) = r.event { Some(e) } else { None })
		.collect()
}

/// Every pallet's invariants.
pub fn check_invariants() {
	pallet_subnets::Pallet::<Test>::do_try_state().unwrap();
	pallet_stake::Pallet::<Test>::do_try_state().unwrap();
	pallet_weights::Pallet::<Test>::do_try_state().unwrap();
	crate::Pallet::<Test>::do_try_state().unwrap();
}

pub fn total_issuance() -> Balance {
	<Balances as frame_support::traits::fungible::Inspect<AccountId>>::total_issuance()
}

pub fn free(who: AccountId) -> Balance {
	<Balances as frame_support::traits::fungible::Inspect<AccountId>>::balance(&who)
}

/// Tokens burned by registrations so far (from the subnets pallet's events).
pub fn burned() -> Balance {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Subnets(pallet_subnets::Event::NeuronRegistered { burned, .. }) => {
				Some(burned)
			}
			_ => None,
		})
		.sum()
}
