//! A runtime with System, Balances, the real Subnets and Stake pallets, and Weights (whose
//! payouts are recorded instead of paid).

use core::cell::RefCell;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{ConstU128, ConstU16, ConstU32, Hooks},
};
use frame_system::EnsureRoot;
use myelin_primitives::{Balance as MyelinBalance, EpochPayout, NetUid, SubnetHyperparams, Uid};
use myelin_yuma::EpochOutput;
use sp_runtime::{BuildStorage, Perbill};

use crate as pallet_weights;

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
	pub static MaxEpochs: u32 = 2;
}

impl pallet_subnets::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type NeuronEmission = Weights;
	type OnNeuronChange = Weights;
	type DefaultHyperparams = DefaultParams;
	type MinLockCost = MinLock;
	type LockReductionInterval = ConstU32<100>;
	type NetworkRateLimit = ConstU32<0>;
	type MaxSubnets = ConstU16<64>;
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
	type MaxNominators = ConstU32<8>;
	type MaxStakedHotkeys = ConstU32<64>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegisterHotkey;
}

thread_local! {
	/// Every epoch handed to the payout: (netuid, output, permitted stake).
	pub static PAID: RefCell<Vec<(NetUid, EpochOutput, MyelinBalance)>> = const { RefCell::new(Vec::new()) };
}

/// Records each epoch; each UID's emission is its incentive plus dividends (in u16 units).
pub struct RecordingPayout;
impl EpochPayout<AccountId> for RecordingPayout {
	fn pay_epoch(
		netuid: NetUid,
		hotkeys: &[AccountId],
		output: &EpochOutput,
		permitted_stake: MyelinBalance,
	) -> Vec<u64> {
		PAID.with(|p| p.borrow_mut().push((netuid, output.clone(), permitted_stake)));
		(0..hotkeys.len())
			.map(|uid| u64::from(output.incentive[uid]) + u64::from(output.dividends[uid]))
			.collect()
	}
}

#[cfg(feature = "runtime-benchmarks")]
pub struct Helper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for Helper {
	fn subnet_with_neurons(n: u16, validators: u16) -> (NetUid, Vec<AccountId>) {
		let owner = 5_000 + pallet_subnets::Networks::<Test>::count() as AccountId;
		let _ = Balances::force_set_balance(RuntimeOrigin::root(), owner, 1_000_000_000 * UNIT);
		let params = SubnetHyperparams {
			max_allowed_uids: n.max(1),
			max_allowed_validators: validators.max(1),
			..DefaultParams::get()
		};
		let (netuid, hotkeys) =
			pallet_subnets::Pallet::<Test>::benchmark_subnet(&owner, n.max(1), params).unwrap();
		for (uid, hotkey) in hotkeys.iter().enumerate().take(usize::from(validators)) {
			assert_ok!(Stake::add_stake(
				RuntimeOrigin::signed(owner),
				*hotkey,
				(10_000 - uid as Balance) * UNIT
			));
		}
		(netuid, hotkeys)
	}
	fn set_hyperparams(netuid: NetUid, params: SubnetHyperparams) {
		pallet_subnets::Hyperparams::<Test>::insert(netuid, params);
	}
	fn fund_epoch(_netuid: NetUid) {}
}

impl pallet_weights::Config for Test {
	type Subnets = Subnets;
	type Stake = Stake;
	type Payout = RecordingPayout;
	type MaxEpochsPerBlock = MaxEpochs;
	type MaxSubnets = ConstU32<64>;
	type MaxCommits = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

/// Subnet 1 (owner coldkey 1, hotkey 101 at UID 0) exists; coldkeys 1..=20 are funded.
pub const OWNER: AccountId = 1;
pub const NETUID: NetUid = 1;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=20).map(|who| (who, 1_000_000 * UNIT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_subnets::GenesisConfig::<Test> { subnets: vec![(OWNER, 100 + OWNER, TEMPO)] }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	PAID.with(|p| p.borrow_mut().clear());
	ext
}

/// Registers hotkey `100 + k` for coldkey `k` on `netuid`; returns its UID.
pub fn register(netuid: NetUid, k: AccountId) -> Uid {
	let hotkey = 100 + k;
	assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(k), netuid, hotkey, u128::MAX));
	pallet_subnets::Uids::<Test>::get(netuid, hotkey).unwrap()
}

/// Stakes `amount` units from coldkey `k` on its hotkey `100 + k`.
pub fn stake(k: AccountId, amount: Balance) {
	assert_ok!(Stake::add_stake(RuntimeOrigin::signed(k), 100 + k, amount * UNIT));
}

/// Creates (or fills) `netuid` up to `n` neurons; the first `validators` UIDs get stake.
pub fn subnet_with_neurons(netuid: NetUid, n: u16, validators: u16) -> Vec<AccountId> {
	// Subnets get the lowest free netuid: create them up to `netuid`.
	let mut owner = 1_000;
	while !pallet_subnets::Networks::<Test>::contains_key(netuid) {
		owner += 1;
		let _ = Balances::force_set_balance(RuntimeOrigin::root(), owner, 1_000_000 * UNIT);
		assert_ok!(Subnets::register_network(RuntimeOrigin::signed(owner), owner + 1_000));
	}
	let mut params = pallet_subnets::Hyperparams::<Test>::get(netuid).unwrap();
	params.max_allowed_uids = params.max_allowed_uids.max(n);
	params.max_allowed_validators = params.max_allowed_validators.max(validators.max(1));
	pallet_subnets::Hyperparams::<Test>::insert(netuid, params);
	let mut k = 0;
	while pallet_subnets::SubnetworkN::<Test>::get(netuid) < n {
		let coldkey = 10_000 + AccountId::from(netuid) * 10_000 + k;
		let _ = Balances::force_set_balance(RuntimeOrigin::root(), coldkey, 1_000_000 * UNIT);
		assert_ok!(Subnets::burned_register(
			RuntimeOrigin::signed(coldkey),
			netuid,
			coldkey + 100_000,
			u128::MAX
		));
		k += 1;
	}
	let hotkeys = <Subnets as myelin_primitives::SubnetInfo<AccountId>>::hotkeys(netuid);
	for (uid, hotkey) in hotkeys.iter().enumerate().take(usize::from(validators)) {
		let owner = pallet_subnets::Owner::<Test>::get(hotkey).unwrap();
		let _ = Balances::force_set_balance(RuntimeOrigin::root(), owner, 1_000_000 * UNIT);
		assert_ok!(Stake::add_stake(
			RuntimeOrigin::signed(owner),
			*hotkey,
			(1_000 - uid as Balance) * UNIT
		));
	}
	hotkeys
}

/// Runs blocks up to `n` (on_initialize of Subnets and Weights).
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Subnets::on_initialize(next);
		Weights::on_initialize(next);
	}
}

/// Runs to the next block in which `netuid`'s epoch is due.
pub fn run_to_epoch(netuid: NetUid) {
	let tempo = pallet_subnets::Hyperparams::<Test>::get(netuid).unwrap().tempo;
	let mut next = System::block_number() + 1;
	while !crate::Pallet::<Test>::epoch_due(netuid, tempo, next as u32) {
		next += 1;
	}
	run_to_block(next);
}

pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Weights(e) = r.event { Some(e) } else { None })
		.collect()
}

pub fn paid() -> Vec<(NetUid, EpochOutput, MyelinBalance)> {
	PAID.with(|p| p.borrow().clone())
}

pub fn check_invariants() {
	crate::Pallet::<Test>::do_try_state().unwrap();
}

/// Gives UID `uid` of `netuid` a validator permit, as an epoch would.
pub fn grant_permit(netuid: NetUid, uid: Uid) {
	crate::ValidatorPermit::<Test>::mutate(netuid, |permits| {
		while permits.len() <= usize::from(uid) {
			permits.try_push(false).unwrap();
		}
		permits[usize::from(uid)] = true;
	});
}
