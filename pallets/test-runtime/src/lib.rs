//! # Myelin test runtime
//!
//! Test support shared across Myelin's crates: the economic test runtime ([`economic_runtime!`])
//! and the SCALE layout renderer of the layout-pinning tests ([`layout`]).
//!
//! One definition of the mock runtime that tests of Myelin's economic pallets share: System,
//! Balances, Subnets, Stake, Yuma and Emission, configured from each pallet's
//! `config_preludes::TestDefaultConfig`, wired to each other as the real runtime wires them, plus
//! the benchmark helpers and the block-running helpers those tests use.
//!
//! It is a macro rather than a compiled runtime because a pallet's unit tests and benchmark tests
//! must run against the pallet crate being tested (`crate`), which a runtime compiled in another
//! crate cannot name. The caller brings the pallet under test into scope under its crate name
//! (`use crate as pallet_stake;`) and depends on the other pallets as dev-dependencies:
//!
//! ```ignore
//! use crate as pallet_yuma;
//! myelin_test_runtime::economic_runtime!(payout: RecordingPayout);
//! ```
//!
//! `payout` is the Yuma pallet's `EpochPayout`: `Emission` for the real one, or a test double.
//!
//! Bounds that tests vary are thread-local parameters of the expanded module (`MaxEpochs`,
//! `BlockEmission`, `MaxSubnets`), reset by its `test_ext` before genesis is built.
//!
//! The helpers use one account scheme: coldkey `k` owns hotkey `100 + k`; `subnet_with_neurons`
//! creates coldkeys from 10,000 up.

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

pub mod layout;

/// Expands the shared economic test runtime in the calling module: see the crate docs.
#[macro_export]
macro_rules! economic_runtime {
	(payout: $payout:ty $(,)?) => {
		use frame_support::{
			derive_impl,
			traits::{Get as _, Hooks as _},
		};

		type Block = frame_system::mocking::MockBlock<Test>;
		/// Accounts are plain numbers.
		pub type AccountId = u64;
		/// Balances use the chain's type.
		pub type Balance = u128;

		/// The token unit (10⁹, as MYL).
		pub const UNIT: Balance = pallet_subnets::config_preludes::TEST_UNIT;

		frame_support::construct_runtime!(
			pub enum Test {
				System: frame_system,
				Balances: pallet_balances,
				Subnets: pallet_subnets,
				Stake: pallet_stake,
				Yuma: pallet_yuma,
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
			type AccountStore = System;
		}

		frame_support::parameter_types! {
			/// Most epochs in one block.
			pub static MaxEpochs: u32 = 2;
			/// Emission of a block before halvings.
			pub static BlockEmission: Balance = UNIT;
			/// Most subnets at once.
			pub static MaxSubnets: u16 = 8;
		}

		#[derive_impl(pallet_subnets::config_preludes::TestDefaultConfig)]
		impl pallet_subnets::Config for Test {
			type Currency = Balances;
			type HotkeySignature = sp_runtime::testing::TestSignature;
			#[cfg(feature = "runtime-benchmarks")]
			type BenchmarkHelper = BenchmarkHelper;
			type NeuronEmission = Yuma;
			type OnNeuronChange = (Stake, Yuma, Emission);
			type MaxSubnets = MaxSubnets;
		}

		#[derive_impl(pallet_stake::config_preludes::TestDefaultConfig)]
		impl pallet_stake::Config for Test {
			type Currency = Balances;
			type Subnets = Subnets;
			#[cfg(feature = "runtime-benchmarks")]
			type BenchmarkHelper = BenchmarkHelper;
		}

		#[derive_impl(pallet_yuma::config_preludes::TestDefaultConfig)]
		impl pallet_yuma::Config for Test {
			type Subnets = Subnets;
			type Stake = Stake;
			type Payout = $payout;
			type MaxEpochsPerBlock = MaxEpochs;
			#[cfg(feature = "runtime-benchmarks")]
			type BenchmarkHelper = BenchmarkHelper;
		}

		#[derive_impl(pallet_emission::config_preludes::TestDefaultConfig)]
		impl pallet_emission::Config for Test {
			type Currency = Balances;
			type Subnets = Subnets;
			type Stake = Stake;
			type InitialBlockEmission = BlockEmission;
			#[cfg(feature = "runtime-benchmarks")]
			type BenchmarkHelper = BenchmarkHelper;
		}

		/// Sets up what each pallet's benchmarks need, through the pallets' own functions.
		#[cfg(feature = "runtime-benchmarks")]
		pub struct BenchmarkHelper;

		#[cfg(feature = "runtime-benchmarks")]
		impl pallet_subnets::BenchmarkHelper<AccountId, sp_runtime::testing::TestSignature> for BenchmarkHelper {
			fn hotkey_consent(coldkey: &AccountId) -> (AccountId, sp_runtime::testing::TestSignature) {
				let hotkey = 7_777;
				let payload = pallet_subnets::Pallet::<Test>::consent_payload(coldkey);
				(hotkey, sp_runtime::testing::TestSignature(hotkey, payload))
			}
		}

		#[cfg(feature = "runtime-benchmarks")]
		impl pallet_stake::BenchmarkHelper<AccountId> for BenchmarkHelper {
			fn register_hotkey(coldkey: &AccountId, hotkey: &AccountId) -> myelin_primitives::NetUid {
				fund(*coldkey, 1_000_000_000 * UNIT);
				pallet_subnets::Pallet::<Test>::benchmark_register_hotkey(coldkey, hotkey).unwrap_or_default()
			}
		}

		#[cfg(feature = "runtime-benchmarks")]
		impl pallet_yuma::BenchmarkHelper<AccountId> for BenchmarkHelper {
			fn subnet_with_neurons(n: u16, validators: u16) -> (myelin_primitives::NetUid, Vec<AccountId>) {
				let owner = 5_000 + pallet_subnets::Networks::<Test>::count() as AccountId;
				fund(owner, 1_000_000_000 * UNIT);
				let params = myelin_primitives::SubnetHyperparams {
					max_allowed_uids: n.max(1),
					max_allowed_validators: validators.max(1),
					..pallet_subnets::config_preludes::TestHyperparams::get()
				};
				let (netuid, hotkeys) =
					pallet_subnets::Pallet::<Test>::benchmark_subnet(&owner, n.max(1), params).unwrap();
				for (uid, hotkey) in hotkeys.iter().enumerate().take(usize::from(validators)) {
					let amount = (10_000 - uid as Balance) * UNIT;
					frame_support::assert_ok!(Stake::add_stake(RuntimeOrigin::signed(owner), *hotkey, netuid, amount));
				}
				(netuid, hotkeys)
			}

			fn set_hyperparams(netuid: myelin_primitives::NetUid, params: myelin_primitives::SubnetHyperparams) {
				pallet_subnets::Hyperparams::<Test>::insert(netuid, params);
			}

			fn fund_epoch(netuid: myelin_primitives::NetUid) {
				pallet_emission::Subnets::<Test>::mutate(|accounts| {
					let account =
						pallet_emission::SubnetAccount { stake: UNIT, pending: UNIT, stake_at_epoch: UNIT };
					let _ = accounts.try_insert(netuid, account);
				});
				pallet_emission::Unminted::<Test>::mutate(|u| *u += UNIT);
				pallet_emission::TotalEmitted::<Test>::mutate(|t| *t += UNIT);
			}
		}

		#[cfg(feature = "runtime-benchmarks")]
		impl pallet_emission::BenchmarkHelper<AccountId> for BenchmarkHelper {
			fn subnet() -> myelin_primitives::NetUid {
				<Self as pallet_yuma::BenchmarkHelper<AccountId>>::subnet_with_neurons(1, 0).0
			}

			fn set_subnet_stake(netuid: myelin_primitives::NetUid, amount: Balance) {
				pallet_stake::SubnetStake::<Test>::insert(netuid, amount);
			}

			fn hotkey_with_stakers(stakers: u32) -> (myelin_primitives::NetUid, AccountId) {
				let (netuid, hotkeys) =
					<Self as pallet_yuma::BenchmarkHelper<AccountId>>::subnet_with_neurons(1, 1);
				let hotkey = hotkeys[0];
				for k in 1..stakers {
					let nominator = 50_000 + AccountId::from(k);
					fund(nominator, 1_000 * UNIT);
					frame_support::assert_ok!(Stake::add_stake(RuntimeOrigin::signed(nominator), hotkey, netuid, UNIT));
				}
				(netuid, hotkey)
			}
		}

		/// Genesis with `balances` and `subnets` (`(owner coldkey, owner hotkey, tempo)`), at
		/// block 1, with every thread-local bound at its default.
		pub fn test_ext(
			balances: Vec<(AccountId, Balance)>,
			subnets: Vec<(AccountId, AccountId, u16)>,
		) -> sp_io::TestExternalities {
			use sp_runtime::BuildStorage as _;
			MaxEpochs::set(2);
			BlockEmission::set(UNIT);
			MaxSubnets::set(8);
			let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
			pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
				.assimilate_storage(&mut storage)
				.unwrap();
			pallet_subnets::GenesisConfig::<Test> { subnets }
				.assimilate_storage(&mut storage)
				.unwrap();
			let mut ext = sp_io::TestExternalities::new(storage);
			ext.execute_with(|| System::set_block_number(1));
			ext
		}

		/// Sets `who`'s free balance.
		pub fn fund(who: AccountId, amount: Balance) {
			frame_support::assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), who, amount));
		}

		/// `hotkey` consents to `coldkey` (a test signature), unless some coldkey owns it already
		/// or it is `coldkey` itself.
		pub fn consent(coldkey: AccountId, hotkey: AccountId) {
			if coldkey != hotkey && !pallet_subnets::Owner::<Test>::contains_key(hotkey) {
				let payload = pallet_subnets::Pallet::<Test>::consent_payload(&coldkey);
				frame_support::assert_ok!(Subnets::associate_hotkey(
					RuntimeOrigin::signed(coldkey),
					hotkey,
					sp_runtime::testing::TestSignature(hotkey, payload)
				));
			}
		}

		/// Registers a new subnet owned by `owner` with `hotkey` (which consents) at UID 0;
		/// returns its netuid.
		pub fn new_subnet(owner: AccountId, hotkey: AccountId) -> myelin_primitives::NetUid {
			use myelin_primitives::SubnetInfo as _;
			let before = Subnets::netuids();
			consent(owner, hotkey);
			frame_support::assert_ok!(Subnets::register_network(RuntimeOrigin::signed(owner), hotkey));
			Subnets::netuids().into_iter().find(|n| !before.contains(n)).unwrap()
		}

		/// Registers hotkey `100 + k` for coldkey `k` on `netuid`; returns its UID.
		pub fn register(netuid: myelin_primitives::NetUid, k: AccountId) -> myelin_primitives::Uid {
			let hotkey = 100 + k;
			consent(k, hotkey);
			frame_support::assert_ok!(Subnets::burned_register(
				RuntimeOrigin::signed(k),
				netuid,
				hotkey,
				u128::MAX
			));
			pallet_subnets::Uids::<Test>::get(netuid, hotkey).unwrap()
		}

		/// Stakes `amount` units from coldkey `k` on its hotkey `100 + k` on `netuid`.
		pub fn stake(netuid: myelin_primitives::NetUid, k: AccountId, amount: Balance) {
			frame_support::assert_ok!(Stake::add_stake(RuntimeOrigin::signed(k), 100 + k, netuid, amount * UNIT));
		}

		/// Creates subnets up to `netuid` and fills it to `n` neurons (fresh coldkeys, subnet
		/// owners included, holding `funds` each); the first `validators` UIDs get stake,
		/// decreasing with the UID.
		pub fn subnet_with_neurons(
			netuid: myelin_primitives::NetUid,
			n: u16,
			validators: u16,
			funds: Balance,
		) -> Vec<AccountId> {
			let mut owner = 1_000;
			while !pallet_subnets::Networks::<Test>::contains_key(netuid) {
				owner += 1;
				fund(owner, funds);
				consent(owner, owner + 1_000);
				frame_support::assert_ok!(Subnets::register_network(
					RuntimeOrigin::signed(owner),
					owner + 1_000
				));
			}
			let mut params = pallet_subnets::Hyperparams::<Test>::get(netuid).unwrap();
			params.max_allowed_uids = params.max_allowed_uids.max(n);
			params.max_allowed_validators = params.max_allowed_validators.max(validators.max(1));
			pallet_subnets::Hyperparams::<Test>::insert(netuid, params);
			let mut k = 0;
			while pallet_subnets::SubnetworkN::<Test>::get(netuid) < n {
				let coldkey = 10_000 + AccountId::from(netuid) * 10_000 + k;
				fund(coldkey, funds);
				consent(coldkey, coldkey + 100_000);
				frame_support::assert_ok!(Subnets::burned_register(
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
				fund(owner, funds);
				frame_support::assert_ok!(Stake::add_stake(
					RuntimeOrigin::signed(owner),
					*hotkey,
					netuid,
					(1_000 - uid as Balance) * UNIT
				));
			}
			hotkeys
		}

		/// Runs whole blocks up to `n`: every pallet's `on_initialize`.
		pub fn run_to_block(n: u64) {
			while System::block_number() < n {
				let next = System::block_number() + 1;
				System::set_block_number(next);
				Subnets::on_initialize(next);
				Yuma::on_initialize(next);
				Emission::on_initialize(next);
			}
		}

		/// Runs to the next block in which `netuid`'s epoch is due.
		pub fn run_to_epoch(netuid: myelin_primitives::NetUid) {
			let tempo = pallet_subnets::Hyperparams::<Test>::get(netuid).unwrap().tempo;
			let mut next = System::block_number() + 1;
			while !pallet_yuma::Pallet::<Test>::epoch_due(netuid, tempo, next as u32) {
				next += 1;
			}
			run_to_block(next);
		}

		/// Every pallet's invariants.
		pub fn check_invariants() {
			pallet_subnets::Pallet::<Test>::do_try_state().unwrap();
			pallet_stake::Pallet::<Test>::do_try_state().unwrap();
			pallet_yuma::Pallet::<Test>::do_try_state().unwrap();
			pallet_emission::Pallet::<Test>::do_try_state().unwrap();
		}
	};
}
