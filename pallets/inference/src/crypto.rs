//! The key types under which a node's keystore holds the hotkeys its off-chain workers sign
//! with: one for miners, one for validators, so a node's role is explicit. Both are sr25519, and
//! a key's account is the hotkey registered on the subnet.

use sp_core::crypto::KeyTypeId;

/// Miner hotkeys (`myelin-node key insert --key-type mine`).
pub const MINER_KEY_TYPE: KeyTypeId = KeyTypeId(*b"mine");

/// Validator hotkeys (`myelin-node key insert --key-type vali`).
pub const VALIDATOR_KEY_TYPE: KeyTypeId = KeyTypeId(*b"vali");

/// Miner hotkeys.
pub mod miner {
	use sp_runtime::{
		app_crypto::{app_crypto, sr25519},
		MultiSignature, MultiSigner,
	};
	app_crypto!(sr25519, super::MINER_KEY_TYPE);

	/// Signs the miner worker's transactions with a miner hotkey.
	pub struct MinerAuthId;

	impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for MinerAuthId {
		type RuntimeAppPublic = Public;
		type GenericSignature = sp_core::sr25519::Signature;
		type GenericPublic = sp_core::sr25519::Public;
	}
}

/// Validator hotkeys.
pub mod validator {
	use sp_runtime::{
		app_crypto::{app_crypto, sr25519},
		MultiSignature, MultiSigner,
	};
	app_crypto!(sr25519, super::VALIDATOR_KEY_TYPE);

	/// Signs the validator worker's transactions with a validator hotkey.
	pub struct ValidatorAuthId;

	impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for ValidatorAuthId {
		type RuntimeAppPublic = Public;
		type GenericSignature = sp_core::sr25519::Signature;
		type GenericPublic = sp_core::sr25519::Public;
	}
}
