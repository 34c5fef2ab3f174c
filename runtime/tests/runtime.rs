//! Tests of the real runtime, executed natively: genesis presets, transfers and fees, the
//! existential deposit, and rejection of unsigned or badly signed transactions.

// Test code: panicking on a broken fixture is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::arithmetic_side_effects)]

use frame_support::{assert_ok, traits::fungible::Inspect};
use myelin_runtime::{
	configs::EXISTENTIAL_DEPOSIT, genesis_config_presets, signing, AccountId, Balance, Balances,
	Executive, Runtime, RuntimeCall, System, MYL,
};
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;
mod common;
use common::new_ext;

use sp_runtime::{
	traits::Header as _,
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	DispatchError,
};

/// Initializes block 1 on top of genesis the way the node would (with an Aura pre-digest).
fn start_block() {
	let slot = sp_consensus_aura::Slot::from(1u64);
	let digest = sp_runtime::Digest {
		logs: vec![sp_runtime::DigestItem::PreRuntime(
			sp_consensus_aura::AURA_ENGINE_ID,
			codec::Encode::encode(&slot),
		)],
	};
	let header =
		myelin_runtime::Header::new(1, H256::zero(), H256::zero(), System::block_hash(0), digest);
	Executive::initialize_block(&header);
}

fn genesis_hash() -> H256 {
	System::block_hash(0)
}

fn transfer(to: &AccountId, amount: Balance) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
		dest: to.clone().into(),
		value: amount,
	})
}

fn fresh_account(seed: &str) -> (sr25519::Pair, AccountId) {
	let pair = sr25519::Pair::from_string(seed, None).unwrap();
	let account = pair.public().into();
	(pair, account)
}

#[test]
fn presets_build_and_configure_authorities_and_sudo() {
	let names = genesis_config_presets::preset_names();
	assert_eq!(names.len(), 2);

	new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		assert_eq!(
			Balances::balance(&Sr25519Keyring::Bob.to_account_id()),
			genesis_config_presets::DEV_ENDOWMENT
		);
	});
	new_ext(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
	});
	assert!(genesis_config_presets::get_preset(&"mainnet".into()).is_none());
}

#[test]
fn miner_test_modes_exist_only_on_test_network_presets() {
	for name in genesis_config_presets::preset_names() {
		let name: &str = name.as_ref();
		new_ext(name).execute_with(|| {
			assert!(pallet_inference::MinerTestModes::<Runtime>::get(), "{name}: a test network");
		});
	}
	// Any other chain (a genesis built from the runtime's defaults) keeps its miners honest.
	let defaults = myelin_runtime::RuntimeGenesisConfig::default();
	let storage = sp_runtime::BuildStorage::build_storage(&defaults).unwrap();
	sp_io::TestExternalities::new(storage).execute_with(|| {
		assert!(!pallet_inference::MinerTestModes::<Runtime>::get());
	});
}

#[test]
fn no_multi_authority_preset_gives_one_key_more_than_a_third_of_the_votes() {
	for name in genesis_config_presets::preset_names() {
		let name: &str = name.as_ref();
		let name = name.to_string();
		new_ext(&name).execute_with(|| {
			let voters = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
			// The development chain is one node by design.
			if voters.len() < 2 {
				return;
			}
			let total: u64 = voters.iter().map(|(_, weight)| weight).sum();
			for (key, weight) in &voters {
				assert!(3 * weight <= total, "{name}: {key:?} holds {weight} of {total} votes");
			}
			// Any single authority may fail: the others keep more than two thirds.
			let largest = voters.iter().map(|(_, weight)| *weight).max().unwrap();
			assert!(3 * (total - largest) > 2 * total, "{name}: one failure halts finality");
		});
	}
}

#[test]
fn dev_genesis_has_the_demo_subnet_with_alices_hotkey() {
	use frame_support::traits::fungible::InspectHold;
	use myelin_primitives::SubnetInfo;
	new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let hotkey = Sr25519Keyring::AliceStash.to_account_id();
		assert_eq!(myelin_runtime::Subnets::netuids(), vec![1]);
		assert_eq!(myelin_runtime::Subnets::owner(1), Some(alice.clone()));
		assert_eq!(myelin_runtime::Subnets::hotkeys(1), vec![hotkey.clone()]);
		assert_eq!(myelin_runtime::Subnets::hotkey_owner(&hotkey), Some(alice.clone()));
		let params = myelin_runtime::Subnets::hyperparams(1).unwrap();
		assert_eq!(params.tempo, genesis_config_presets::DEMO_SUBNET_TEMPO);
		let lock = <Runtime as pallet_subnets::Config>::MinLockCost::get();
		assert_eq!(
			Balances::balance_on_hold(
				&myelin_runtime::RuntimeHoldReason::Subnets(pallet_subnets::HoldReason::SubnetLock),
				&alice
			),
			lock
		);
	});
	new_ext(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		use myelin_primitives::SubnetInfo;
		assert!(myelin_runtime::Subnets::netuids().is_empty(), "no demo subnet on local");
	});
}

#[test]
fn transfer_moves_funds_and_burns_a_fee() {
	new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		start_block();
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let alice_id: AccountId = alice.public().into();
		let (_, dest) = fresh_account("//Fresh");
		let alice_before = Balances::balance(&alice_id);
		let issuance_before = Balances::total_issuance();

		let xt = signing::sign(transfer(&dest, 10 * MYL), &alice, 0, genesis_hash());
		assert_ok!(Executive::apply_extrinsic(xt).unwrap());

		assert_eq!(Balances::balance(&dest), 10 * MYL);
		let fee = alice_before - 10 * MYL - Balances::balance(&alice_id);
		assert!(fee > 0, "a signed transfer pays a fee");
		assert!(fee < MYL / 100, "a transfer costs well under 0.01 MYL, paid {fee}");
		// Fees are burned: issuance drops by exactly the fee.
		assert_eq!(Balances::total_issuance(), issuance_before - fee);
		assert_eq!(System::account_nonce(&alice_id), 1);
	});
}

#[test]
fn existential_deposit_is_enforced() {
	new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		start_block();
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let (_, dest) = fresh_account("//BelowExistentialDeposit");

		let xt = signing::sign(transfer(&dest, EXISTENTIAL_DEPOSIT - 1), &alice, 0, genesis_hash());
		let outcome = Executive::apply_extrinsic(xt).unwrap();
		assert_eq!(
			outcome,
			Err(DispatchError::Token(sp_runtime::TokenError::BelowMinimum)),
			"creating an account below the existential deposit fails"
		);
		assert_eq!(Balances::balance(&dest), 0);

		let xt = signing::sign(transfer(&dest, EXISTENTIAL_DEPOSIT), &alice, 1, genesis_hash());
		assert_ok!(Executive::apply_extrinsic(xt).unwrap());
		assert_eq!(Balances::balance(&dest), EXISTENTIAL_DEPOSIT);
	});
}

#[test]
fn unsigned_and_badly_signed_transactions_are_rejected() {
	new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		start_block();
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let bob = sr25519::Pair::from_string("//Bob", None).unwrap();
		let (_, dest) = fresh_account("//Dest");
		let parent = System::parent_hash();

		// Unsigned (bare) transfer: no pallet validates it.
		let bare = myelin_runtime::UncheckedExtrinsic::new_bare(transfer(&dest, MYL));
		let validity = Executive::validate_transaction(TransactionSource::External, bare, parent);
		assert!(validity.is_err(), "a bare transfer must not validate: {validity:?}");

		// Signed by Bob but claiming to come from Alice: bad proof.
		let mut forged = signing::sign(transfer(&dest, MYL), &alice, 0, genesis_hash());
		let bobs = signing::sign(transfer(&dest, MYL), &bob, 0, genesis_hash());
		if let (
			sp_runtime::generic::Preamble::Signed(_, forged_sig, _),
			sp_runtime::generic::Preamble::Signed(_, bob_sig, _),
		) = (&mut forged.preamble, &bobs.preamble)
		{
			*forged_sig = bob_sig.clone();
		}
		let validity = Executive::validate_transaction(TransactionSource::External, forged, parent);
		assert_eq!(validity, Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof)));

		// Signed for another chain (wrong genesis hash): bad proof as well.
		let other_chain = signing::sign(transfer(&dest, MYL), &alice, 0, H256::repeat_byte(7));
		let validity =
			Executive::validate_transaction(TransactionSource::External, other_chain, parent);
		assert_eq!(validity, Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof)));

		// Nothing moved.
		assert_eq!(Balances::balance(&dest), 0);
	});
}

#[test]
fn metadata_v15_is_served() {
	let versions = Runtime::metadata_versions();
	assert!(versions.contains(&15), "metadata versions: {versions:?}");
	let v15 = Runtime::metadata_at_version(15).expect("V15 metadata");
	// SCALE-encoded `RuntimeMetadataPrefixed`: the magic "meta", then the version byte.
	let bytes: &[u8] = &v15;
	assert_eq!(&bytes[..4], b"meta");
	assert_eq!(bytes[4], 15);
}

#[test]
fn a_mortal_transaction_is_valid_within_its_era_and_never_after() {
	use sp_runtime::generic::Era;
	let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
	let (_, dest) = fresh_account("//Mortal");
	// Signed as the CLI does: 64 blocks from the best block (5), checkpointed at its hash.
	let era = Era::mortal(64, 5);
	assert_eq!(era.birth(5), 5);
	let version =
		(myelin_runtime::VERSION.spec_version, myelin_runtime::VERSION.transaction_version);
	let sign = |genesis: H256, checkpoint: H256| {
		let call = transfer(&dest, MYL);
		signing::sign_in_era(call, &alice, 0, genesis, (era, checkpoint), version)
	};
	// Validation initializes a block: each check runs on its own copy of the chain, built by
	// `common::run_to`, where block `n`'s hash (its successor's parent) is `[n + 1; 32]`.
	let hash_of = |n: u8| H256::repeat_byte(n + 1);
	let genesis = hash_of(0);
	let birth = hash_of(5);
	let chain_at = |last: u32| {
		let mut ext = new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET);
		ext.execute_with(|| common::run_to(&mut 0, last));
		ext
	};
	chain_at(5).execute_with(|| {
		let check = |xt| Executive::validate_transaction(TransactionSource::External, xt, birth);
		assert!(check(sign(genesis, birth)).is_ok());
	});
	chain_at(5).execute_with(|| {
		// Signed for another checkpoint, it is a bad proof.
		let xt = sign(genesis, H256::repeat_byte(7));
		assert_eq!(
			Executive::validate_transaction(TransactionSource::External, xt, birth),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);
	});
	// Once its 64 blocks are over it is dead, whatever happens to the nonce: the era now names a
	// later checkpoint (block 69), which the signature does not cover.
	chain_at(70).execute_with(|| {
		assert_eq!(System::block_hash(5), birth, "the same chain");
		assert_eq!(
			Executive::validate_transaction(
				TransactionSource::External,
				sign(genesis, birth),
				hash_of(70)
			),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);
	});
}
