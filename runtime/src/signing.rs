//! Building signed extrinsics natively (std only): used by tests, benchmarks and tools that
//! hold the runtime types. Wallets use the metadata instead and need nothing from here.

use codec::Encode;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::generic::Era;

use crate::{
	AccountId, Address, Nonce, RuntimeCall, Signature, SignedPayload, TxExtension,
	UncheckedExtrinsic, VERSION,
};

/// The transaction extensions of an immortal transaction with the given nonce and tip.
pub fn tx_extension(nonce: Nonce, tip: crate::Balance) -> TxExtension {
	crate::tx_extension(Era::Immortal, nonce, tip)
}

/// Signs `call` by `signer` as an immortal transaction for the chain whose genesis hash is
/// `genesis_hash`, without needing chain state, for this runtime's own version.
pub fn sign(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
	genesis_hash: H256,
) -> UncheckedExtrinsic {
	sign_for_version(
		call,
		signer,
		nonce,
		genesis_hash,
		VERSION.spec_version,
		VERSION.transaction_version,
	)
}

/// Like [`sign`], for the runtime version the chain reports (`state_getRuntimeVersion`), so
/// tools keep working after a runtime upgrade that left the call's encoding unchanged.
pub fn sign_for_version(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
	genesis_hash: H256,
	spec_version: u32,
	transaction_version: u32,
) -> UncheckedExtrinsic {
	let version = (spec_version, transaction_version);
	sign_in_era(call, signer, nonce, genesis_hash, (Era::Immortal, genesis_hash), version)
}

/// Signs `call` as a transaction valid in `era`, whose checkpoint (the era's birth block, or
/// the genesis for an immortal one) has hash `era_hash`; `version` is the chain's
/// `(spec_version, transaction_version)`. A mortal transaction (what wallets send, e.g.
/// `Era::mortal(64, best)`) cannot be replayed once its era is over, even if its nonce were
/// reused on a fork.
pub fn sign_in_era(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
	genesis_hash: H256,
	(era, era_hash): (Era, H256),
	(spec_version, transaction_version): (u32, u32),
) -> UncheckedExtrinsic {
	let account: AccountId = signer.public().into();
	let sign = |bytes: &[u8]| Ok::<_, core::convert::Infallible>(signer.sign(bytes));
	let version = (spec_version, transaction_version);
	match assemble(call, account, nonce, genesis_hash, (era, era_hash), version, sign) {
		Ok(extrinsic) => extrinsic,
		Err(never) => match never {},
	}
}

/// [`sign_in_era`] for a key held elsewhere (a node's keystore): `sign` signs the payload as
/// `account`'s sr25519 key; `None` if it cannot.
pub fn sign_in_era_with(
	call: RuntimeCall,
	account: AccountId,
	nonce: Nonce,
	genesis_hash: H256,
	era: (Era, H256),
	version: (u32, u32),
	sign: impl FnOnce(&[u8]) -> Option<sr25519::Signature>,
) -> Option<UncheckedExtrinsic> {
	let sign = |bytes: &[u8]| sign(bytes).ok_or(());
	assemble(call, account, nonce, genesis_hash, era, version, sign).ok()
}

/// The signed extrinsic of `call` by `account`, whose signature of the payload `sign` makes.
fn assemble<E>(
	call: RuntimeCall,
	account: AccountId,
	nonce: Nonce,
	genesis_hash: H256,
	(era, era_hash): (Era, H256),
	(spec_version, transaction_version): (u32, u32),
	sign: impl FnOnce(&[u8]) -> Result<sr25519::Signature, E>,
) -> Result<UncheckedExtrinsic, E> {
	let extension = crate::tx_extension(era, nonce, 0);
	let implicit = ((), spec_version, transaction_version, genesis_hash, era_hash, (), (), ());
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
	let signature = payload.using_encoded(sign)?;
	Ok(UncheckedExtrinsic::new_signed(
		call,
		Address::Id(account),
		Signature::Sr25519(signature),
		extension,
	))
}
