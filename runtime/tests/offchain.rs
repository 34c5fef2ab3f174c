//! The transactions the off-chain workers sign with the node's hotkeys: built by the runtime's
//! `CreateSignedTransaction` with a key from the keystore, they must pass the pool's validation
//! and apply like a wallet's transaction, from the hotkey's account.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::arithmetic_side_effects)]

mod common;

use std::sync::Arc;

use frame_system::offchain::{CreateSignedTransaction, SigningTypes};
use myelin_runtime::{Executive, Runtime, RuntimeCall, System};
use pallet_inference::crypto::{miner::MinerAuthId, MINER_KEY_TYPE};
use sp_core::{crypto::Pair as _, sr25519, H256};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{traits::Header as _, transaction_validity::TransactionSource};

fn start_block(n: u32) {
	let slot = sp_consensus_aura::Slot::from(u64::from(n));
	let digest = sp_runtime::Digest {
		logs: vec![sp_runtime::DigestItem::PreRuntime(
			sp_consensus_aura::AURA_ENGINE_ID,
			codec::Encode::encode(&slot),
		)],
	};
	let parent = System::block_hash(n - 1);
	let header = myelin_runtime::Header::new(n, H256::zero(), H256::zero(), parent, digest);
	Executive::initialize_block(&header);
}

#[test]
fn worker_transactions_validate_and_apply_from_the_hotkey() {
	let keystore = MemoryKeystore::new();
	let public = keystore.sr25519_generate_new(MINER_KEY_TYPE, Some("//Alice")).unwrap();
	assert_eq!(public, sr25519::Pair::from_string("//Alice", None).unwrap().public());
	let mut ext = common::new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET);
	ext.register_extension(KeystoreExt(Arc::new(keystore)));
	ext.execute_with(|| {
		start_block(1);
		let account: myelin_runtime::AccountId = public.into();
		let signer: <Runtime as SigningTypes>::Public = public.into();
		let call = RuntimeCall::System(frame_system::Call::remark { remark: b"answer".to_vec() });
		let xt = <Runtime as CreateSignedTransaction<RuntimeCall>>::create_signed_transaction::<
			MinerAuthId,
		>(call, signer, account.clone(), 0)
		.expect("the keystore holds the key");

		let validity = Executive::validate_transaction(
			TransactionSource::Local,
			xt.clone(),
			System::parent_hash(),
		);
		let valid = validity.expect("a worker's transaction is valid");
		assert!(valid.longevity <= 16, "mortal: it does not linger in pools");

		assert_eq!(System::account_nonce(&account), 0);
		Executive::apply_extrinsic(xt).unwrap().unwrap();
		assert_eq!(System::account_nonce(&account), 1, "signed by the hotkey's account");
	});
}
