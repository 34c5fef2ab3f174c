//! Genesis from the runtime's presets, for the native runtime tests.

#![allow(dead_code)]

use frame_support::{assert_ok, dispatch::GetDispatchInfo, traits::UnfilteredDispatchable};
use myelin_runtime::{
	genesis_config_presets, AccountId, Executive, RuntimeCall, RuntimeGenesisConfig, RuntimeOrigin,
};
use sp_core::H256;
use sp_runtime::traits::Header as _;
use sp_runtime::BuildStorage;

pub fn genesis_config(preset: &str) -> RuntimeGenesisConfig {
	genesis_config_presets::genesis_config(&preset.into())
		.unwrap_or_else(|| panic!("preset {preset} exists"))
}

pub fn new_ext(preset: &str) -> sp_io::TestExternalities {
	let storage = genesis_config(preset).build_storage().unwrap();
	sp_io::TestExternalities::new(storage)
}

/// Builds block `n` through `Executive`: Aura pre-digest and timestamp for slot `n`, then
/// `calls` dispatched from their origins (signatures and fees are covered by the other runtime
/// tests), then finalization (which runs `on_idle`).
pub fn run_block(n: u32, calls: Vec<(AccountId, RuntimeCall)>) {
	let slot = sp_consensus_aura::Slot::from(u64::from(n));
	let digest = sp_runtime::Digest {
		logs: vec![sp_runtime::DigestItem::PreRuntime(
			sp_consensus_aura::AURA_ENGINE_ID,
			codec::Encode::encode(&slot),
		)],
	};
	let parent = H256::repeat_byte(n as u8);
	let header = myelin_runtime::Header::new(n, H256::zero(), H256::zero(), parent, digest);
	Executive::initialize_block(&header);
	let now = u64::from(n) * myelin_primitives::time::SLOT_DURATION;
	assert_ok!(myelin_runtime::Timestamp::set(RuntimeOrigin::none(), now));
	for (who, call) in calls {
		let info = call.get_dispatch_info();
		assert!(info.call_weight.ref_time() > 0);
		assert_ok!(call.dispatch_bypass_filter(RuntimeOrigin::signed(who)));
	}
	Executive::finalize_block();
}

pub fn run_to(from: &mut u32, to: u32) {
	while *from < to {
		*from += 1;
		run_block(*from, vec![]);
	}
}

/// The hotkey of seed `seed`: an sr25519 key, so it can sign its consent.
pub fn hotkey(seed: u8) -> AccountId {
	use sp_core::Pair;
	sp_core::sr25519::Pair::from_seed(&[seed; 32]).public().into()
}

/// `coldkey`'s `associate_hotkey` of the hotkey of seed `seed`, signed by that hotkey.
pub fn associate(coldkey: &AccountId, seed: u8) -> (AccountId, RuntimeCall) {
	use sp_core::Pair;
	let pair = sp_core::sr25519::Pair::from_seed(&[seed; 32]);
	// Signed for the chain whose first block `run_block` builds: its parent, the genesis hash
	// the runtime sees from block 1 on, is `H256::repeat_byte(1)`.
	let payload = pallet_subnets::hotkey_consent_payload(&H256::repeat_byte(1), coldkey);
	let signature = pair.sign(&payload);
	let call = pallet_subnets::Call::associate_hotkey {
		hotkey: pair.public().into(),
		signature: signature.into(),
	};
	(coldkey.clone(), RuntimeCall::Subnets(call))
}
