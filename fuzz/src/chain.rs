//! The chain under test: the native runtime from the development preset, blocks built through
//! `Executive` as a node would, and the checks after each block.

use std::panic::{catch_unwind, AssertUnwindSafe};

use codec::{Decode, Encode};
use myelin_runtime::{
	genesis_config_presets, signing, Executive, Header, Runtime, RuntimeCall, System,
	UncheckedExtrinsic,
};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{traits::Header as _, BuildStorage};

use crate::ops::Op;

/// What one block did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockStats {
	/// Extrinsics offered (structured and raw).
	pub offered: u64,
	/// Of those, included in the block (their call may still have failed).
	pub included: u64,
	/// Of the included, calls that succeeded.
	pub succeeded: u64,
}

/// Why a run stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
	/// The runtime panicked.
	Panic(String),
	/// A pallet's try-state failed.
	Invariant(String),
	/// The block used more weight than a block may.
	Overweight(String),
}

/// A chain being fuzzed.
pub struct Chain {
	ext: sp_io::TestExternalities,
	/// The last block built.
	pub number: u32,
	parent: H256,
	genesis: H256,
	/// The supply ledger: genesis issuance, and everything burned since (registration burns,
	/// fees, slashed deposits, dust).
	ledger: Ledger,
}

/// The supply ledger the fuzzer keeps beside the chain.
#[derive(Clone, Copy, Debug, Default)]
struct Ledger {
	initial: u128,
	burned: u128,
}

impl Chain {
	/// The development preset's genesis (Alice authors, holds sudo and owns subnet 1; the
	/// well-known accounts are funded; referenda take seconds).
	pub fn new() -> Self {
		let config =
			genesis_config_presets::genesis_config(&sp_genesis_builder::DEV_RUNTIME_PRESET.into())
				.unwrap_or_default();
		let storage = config.build_storage().unwrap_or_default();
		let mut ext = sp_io::TestExternalities::new(storage);
		let (genesis, initial) = ext.execute_with(|| {
			(System::block_hash(0), pallet_balances::TotalIssuance::<Runtime>::get())
		});
		let ledger = Ledger { initial, burned: 0 };
		Self { ext, number: 0, parent: genesis, genesis, ledger }
	}

	/// The hash transactions and hotkey consents are signed for.
	pub fn genesis(&self) -> H256 {
		self.genesis
	}

	/// Reads chain state (to generate the next operations).
	pub fn read<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}

	/// Builds `gap` empty blocks, then one with `ops`, checking every block.
	pub fn block(
		&mut self,
		gap: u32,
		ops: &[Op],
		keys: &[sr25519::Pair],
	) -> Result<BlockStats, Violation> {
		for _ in 0..gap {
			self.build(&[], keys)?;
		}
		self.build(ops, keys)
	}

	fn build(&mut self, ops: &[Op], keys: &[sr25519::Pair]) -> Result<BlockStats, Violation> {
		let number = self.number.saturating_add(1);
		let parent = self.parent;
		let genesis = self.genesis;
		let ledger = self.ledger;
		let result = self.ext.execute_with(|| {
			catch_unwind(AssertUnwindSafe(|| {
				build_block(number, parent, genesis, ledger, ops, keys)
			}))
		});
		let (header, stats, burned) = match result {
			Ok(Ok(built)) => built,
			Ok(Err(violation)) => return Err(violation),
			Err(panic) => return Err(Violation::Panic(panic_message(&panic))),
		};
		self.ext.commit_all().map_err(|e| Violation::Invariant(format!("commit: {e:?}")))?;
		self.number = number;
		self.parent = header.hash();
		self.ledger.burned = burned;
		Ok(stats)
	}
}

impl Default for Chain {
	fn default() -> Self {
		Self::new()
	}
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
	panic
		.downcast_ref::<&str>()
		.map(|s| (*s).to_string())
		.or_else(|| panic.downcast_ref::<String>().cloned())
		.unwrap_or_else(|| "non-string panic".into())
}

/// Block `number` on `parent`: Aura pre-digest, the timestamp inherent, `ops`, finalization;
/// then the checks. Returns the header, what the block did and everything burned so far.
fn build_block(
	number: u32,
	parent: H256,
	genesis: H256,
	ledger: Ledger,
	ops: &[Op],
	keys: &[sr25519::Pair],
) -> Result<(Header, BlockStats, u128), Violation> {
	let slot = sp_consensus_aura::Slot::from(u64::from(number));
	let digest = sp_runtime::Digest {
		logs: vec![sp_runtime::DigestItem::PreRuntime(
			sp_consensus_aura::AURA_ENGINE_ID,
			slot.encode(),
		)],
	};
	let header = Header::new(number, H256::zero(), H256::zero(), parent, digest);
	Executive::initialize_block(&header);
	let now = u64::from(number).saturating_mul(myelin_primitives::time::SLOT_DURATION);
	let timestamp =
		UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set { now }));
	if !matches!(Executive::apply_extrinsic(timestamp), Ok(Ok(()))) {
		return Err(Violation::Invariant("the timestamp inherent failed".into()));
	}

	let mut stats = BlockStats::default();
	for op in ops {
		let Some(extrinsic) = extrinsic(op, keys, genesis) else {
			stats.offered = stats.offered.saturating_add(1);
			continue;
		};
		stats.offered = stats.offered.saturating_add(1);
		if let Ok(outcome) = Executive::apply_extrinsic(extrinsic) {
			stats.included = stats.included.saturating_add(1);
			stats.succeeded = stats.succeeded.saturating_add(u64::from(outcome.is_ok()));
		}
	}
	let weight = System::block_weight().total();
	let header = Executive::finalize_block();
	let limit = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	if !weight.all_lte(limit) {
		return Err(Violation::Overweight(format!("block {number} used {weight}, limit {limit}")));
	}
	check_invariants().map_err(|e| Violation::Invariant(format!("block {number}: {e}")))?;
	let burned = ledger.burned.saturating_add(burned_in_block());
	check_supply(ledger.initial, burned)
		.map_err(|e| Violation::Invariant(format!("block {number}: {e}")))?;
	Ok((header, stats, burned))
}

/// What this block's events say left the supply: burns (registrations), transaction fees
/// (the runtime burns them whole), and credits dropped (slashed deposits, dust).
fn burned_in_block() -> u128 {
	use myelin_runtime::RuntimeEvent;
	System::events()
		.into_iter()
		.map(|record| match record.event {
			RuntimeEvent::Balances(pallet_balances::Event::Burned { amount, .. })
			| RuntimeEvent::Balances(pallet_balances::Event::Rescinded { amount }) => amount,
			RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid { actual_fee, .. },
			) => actual_fee,
			_ => 0,
		})
		.fold(0u128, u128::saturating_add)
}

/// The supply identity, exact to the planck: what exists (issuance) plus what is owed to
/// stakers equals the genesis issuance plus what emission delivered, less what was burned.
/// A token minted twice, or owed and never backed, breaks it.
fn check_supply(initial: u128, burned: u128) -> Result<(), String> {
	let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
	let owed = pallet_stake::TotalOwed::<Runtime>::get();
	let delivered = pallet_emission::TotalEmitted::<Runtime>::get()
		.saturating_sub(pallet_emission::Unminted::<Runtime>::get());
	let held = issuance.saturating_add(owed);
	let expected = initial.saturating_add(delivered).saturating_sub(burned);
	if held == expected {
		Ok(())
	} else {
		Err(format!(
			"supply: issuance {issuance} + owed {owed} = {held}, expected genesis {initial} + \
			 delivered {delivered} − burned {burned} = {expected}"
		))
	}
}

/// The extrinsic of `op`; `None` for raw bytes that do not decode as one.
fn extrinsic(op: &Op, keys: &[sr25519::Pair], genesis: H256) -> Option<UncheckedExtrinsic> {
	match op {
		Op::Signed { signer, call, nonce_offset } => {
			let pair = keys.get(*signer)?;
			let account: myelin_runtime::AccountId = pair.public().into();
			let nonce = System::account_nonce(&account).wrapping_add(*nonce_offset);
			Some(signing::sign(call.clone(), pair, nonce, genesis))
		}
		Op::Bare(call) => Some(UncheckedExtrinsic::new_bare(call.clone())),
		Op::Raw(bytes) => UncheckedExtrinsic::decode(&mut &bytes[..]).ok(),
		Op::Mutated { signer, call, flips } => {
			let pair = keys.get(*signer)?;
			let account: myelin_runtime::AccountId = pair.public().into();
			let nonce = System::account_nonce(&account);
			let mut bytes = signing::sign(call.clone(), pair, nonce, genesis).encode();
			for &(at, xor) in flips {
				let len = bytes.len().max(1);
				if let Some(byte) = bytes.get_mut(usize::from(at) % len) {
					*byte ^= xor;
				}
			}
			UncheckedExtrinsic::decode(&mut &bytes[..]).ok()
		}
	}
}

/// Every Myelin pallet's try-state (issuance equal to the sum of balances and the supply cap
/// are the emission pallet's).
pub fn check_invariants() -> Result<(), String> {
	type Check = fn() -> Result<(), sp_runtime::TryRuntimeError>;
	let checks: [(&str, Check); 4] = [
		("subnets", pallet_subnets::Pallet::<Runtime>::do_try_state),
		("stake", pallet_stake::Pallet::<Runtime>::do_try_state),
		("yuma", pallet_yuma::Pallet::<Runtime>::do_try_state),
		("emission", pallet_emission::Pallet::<Runtime>::do_try_state),
	];
	for (pallet, check) in checks {
		check().map_err(|e| format!("{pallet}: {e:?}"))?;
	}
	Ok(())
}
