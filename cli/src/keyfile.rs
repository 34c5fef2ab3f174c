//! Keyfiles: one sr25519 key per JSON file.
//!
//! A keyfile names its public address in the clear, so read-only commands never need a password.
//! The secret (a BIP-39 mnemonic or a secret URI) is either stored plainly (hotkeys, by default)
//! or encrypted: the key comes from the password through argon2id with a random 16-byte salt per
//! file, and the secret is sealed with XChaCha20-Poly1305 under a random 24-byte nonce. The
//! header (version, crypto, address, KDF parameters and salt) is the AEAD's associated data, so
//! changing any byte of the file, not just the ciphertext, makes decryption fail. Files are
//! written 0600 inside 0700 directories.

use std::{
	fs,
	io::Write,
	os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt},
	path::Path,
};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::{
	aead::{Aead, KeyInit, Payload},
	XChaCha20Poly1305, XNonce,
};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sp_core::{crypto::Ss58Codec, sr25519, Pair};
use zeroize::Zeroizing;

/// The keyfile format version this CLI writes and reads.
pub const KEYFILE_VERSION: u32 = 1;

/// Why a keyfile could not be written or opened.
#[derive(Debug, thiserror::Error)]
pub enum KeyfileError {
	/// AEAD authentication failed: the password is wrong, or the file was modified.
	#[error("cannot decrypt {0}: wrong password, or the keyfile was modified")]
	Decrypt(String),
	/// The decrypted secret does not belong to the address the file names.
	#[error("keyfile {0} is corrupt: its secret does not match its address")]
	AddressMismatch(String),
	/// The secret is not a valid mnemonic or secret URI.
	#[error("invalid secret phrase or URI")]
	InvalidSecret,
	/// The file exists already (keys are never silently replaced).
	#[error("{0} exists already; refusing to overwrite a key")]
	Exists(String),
	/// Not a keyfile this CLI understands.
	#[error("{0} is not a valid Myelin keyfile: {1}")]
	Format(String, String),
	/// Reading or writing failed.
	#[error("{0}: {1}")]
	Io(String, std::io::Error),
}

/// argon2id cost parameters, stored in each file so they can be raised later.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
	/// Memory in KiB.
	pub m_cost: u32,
	/// Iterations.
	pub t_cost: u32,
	/// Lanes.
	pub p_cost: u32,
}

impl KdfParams {
	/// What new keyfiles use: 64 MiB, 3 passes, 1 lane (OWASP's argon2id recommendation
	/// class), about a quarter of a second on a laptop.
	pub const DEFAULT: KdfParams = KdfParams { m_cost: 64 * 1024, t_cost: 3, p_cost: 1 };
}

/// The encrypted form of a secret.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
	/// Always `"argon2id"`.
	pub kdf: String,
	/// argon2id costs.
	pub kdf_params: KdfParams,
	/// Random salt, hex.
	pub salt: String,
	/// Always `"xchacha20poly1305"`.
	pub cipher: String,
	/// Random nonce, hex.
	pub nonce: String,
	/// Secret plus authentication tag, hex.
	pub ciphertext: String,
}

/// One key on disk.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Keyfile {
	/// Format version ([`KEYFILE_VERSION`]).
	pub version: u32,
	/// Signature scheme; always `"sr25519"`.
	pub crypto: String,
	/// SS58 address of the key's public half.
	pub address: String,
	/// The secret in the clear (unencrypted keyfiles only).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub secret: Option<String>,
	/// The sealed secret (encrypted keyfiles only).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub sealed: Option<Sealed>,
}

fn random<const N: usize>() -> [u8; N] {
	let mut bytes = [0u8; N];
	rand::rngs::OsRng.fill_bytes(&mut bytes);
	bytes
}

fn derive_key(
	password: &str,
	salt: &[u8],
	params: KdfParams,
) -> Result<Zeroizing<[u8; 32]>, String> {
	let params = Params::new(params.m_cost, params.t_cost, params.p_cost, Some(32))
		.map_err(|e| e.to_string())?;
	let mut key = Zeroizing::new([0u8; 32]);
	Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
		.hash_password_into(password.as_bytes(), salt, key.as_mut())
		.map_err(|e| e.to_string())?;
	Ok(key)
}

/// Parses a mnemonic or secret URI into a key pair.
pub fn pair_from_secret(secret: &str) -> Result<sr25519::Pair, KeyfileError> {
	sr25519::Pair::from_string(secret, None).map_err(|_| KeyfileError::InvalidSecret)
}

impl Keyfile {
	/// The associated data binding the header to the ciphertext.
	fn header(&self, sealed: &Sealed) -> Vec<u8> {
		format!(
			"myelin-keyfile|{}|{}|{}|{}|{}|{}|{}|{}|{}",
			self.version,
			self.crypto,
			self.address,
			sealed.kdf,
			sealed.kdf_params.m_cost,
			sealed.kdf_params.t_cost,
			sealed.kdf_params.p_cost,
			sealed.salt,
			sealed.cipher,
		)
		.into_bytes()
	}

	/// A keyfile for `secret`, encrypted under `password` if one is given.
	pub fn new(
		secret: &str,
		password: Option<&str>,
		params: KdfParams,
	) -> Result<Keyfile, KeyfileError> {
		let pair = pair_from_secret(secret)?;
		let mut file = Keyfile {
			version: KEYFILE_VERSION,
			crypto: "sr25519".into(),
			address: pair.public().to_ss58check(),
			secret: None,
			sealed: None,
		};
		let Some(password) = password else {
			file.secret = Some(secret.to_string());
			return Ok(file);
		};
		let salt: [u8; 16] = random();
		let nonce: [u8; 24] = random();
		let mut sealed = Sealed {
			kdf: "argon2id".into(),
			kdf_params: params,
			salt: hex::encode(salt),
			cipher: "xchacha20poly1305".into(),
			nonce: hex::encode(nonce),
			ciphertext: String::new(),
		};
		let key = derive_key(password, &salt, params)
			.map_err(|e| KeyfileError::Format("new keyfile".into(), e))?;
		let cipher = XChaCha20Poly1305::new(key.as_ref().into());
		let aad = file.header(&sealed);
		let ciphertext = cipher
			.encrypt(XNonce::from_slice(&nonce), Payload { msg: secret.as_bytes(), aad: &aad })
			.map_err(|_| KeyfileError::Format("new keyfile".into(), "encryption failed".into()))?;
		sealed.ciphertext = hex::encode(ciphertext);
		file.sealed = Some(sealed);
		Ok(file)
	}

	/// Whether opening the key needs a password.
	pub fn is_encrypted(&self) -> bool {
		self.sealed.is_some()
	}

	/// The secret, decrypted with `password` if the file is encrypted, checked against the
	/// address. `name` only labels errors.
	pub fn open(&self, password: Option<&str>, name: &str) -> Result<sr25519::Pair, KeyfileError> {
		let format = |why: &str| KeyfileError::Format(name.into(), why.into());
		let secret: Zeroizing<String> = match (&self.secret, &self.sealed) {
			(Some(secret), None) => Zeroizing::new(secret.clone()),
			(None, Some(sealed)) => {
				if sealed.kdf != "argon2id" || sealed.cipher != "xchacha20poly1305" {
					return Err(format("unknown KDF or cipher"));
				}
				let password = password.ok_or_else(|| format("a password is required"))?;
				let salt = hex::decode(&sealed.salt).map_err(|_| format("salt is not hex"))?;
				let nonce = hex::decode(&sealed.nonce).map_err(|_| format("nonce is not hex"))?;
				if nonce.len() != 24 {
					return Err(format("nonce is not 24 bytes"));
				}
				let ciphertext =
					hex::decode(&sealed.ciphertext).map_err(|_| format("ciphertext is not hex"))?;
				let key = derive_key(password, &salt, sealed.kdf_params)
					.map_err(|e| KeyfileError::Format(name.into(), e))?;
				let cipher = XChaCha20Poly1305::new(key.as_ref().into());
				let plain = cipher
					.decrypt(
						XNonce::from_slice(&nonce),
						Payload { msg: &ciphertext, aad: &self.header(sealed) },
					)
					.map_err(|_| KeyfileError::Decrypt(name.into()))?;
				Zeroizing::new(
					String::from_utf8(plain).map_err(|_| KeyfileError::Decrypt(name.into()))?,
				)
			}
			_ => return Err(format("needs exactly one of `secret` and `sealed`")),
		};
		let pair = pair_from_secret(&secret)?;
		if pair.public().to_ss58check() != self.address {
			return Err(KeyfileError::AddressMismatch(name.into()));
		}
		Ok(pair)
	}

	/// Reads a keyfile.
	pub fn read(path: &Path) -> Result<Keyfile, KeyfileError> {
		let shown = path.display().to_string();
		let text = fs::read_to_string(path).map_err(|e| KeyfileError::Io(shown.clone(), e))?;
		let file: Keyfile = serde_json::from_str(&text)
			.map_err(|e| KeyfileError::Format(shown.clone(), e.to_string()))?;
		if file.version != KEYFILE_VERSION || file.crypto != "sr25519" {
			return Err(KeyfileError::Format(shown, "unsupported version or crypto".into()));
		}
		Ok(file)
	}

	/// Writes the keyfile to a new file (mode 0600), creating its directory (mode 0700).
	pub fn write(&self, path: &Path, overwrite: bool) -> Result<(), KeyfileError> {
		let shown = path.display().to_string();
		let io = |e| KeyfileError::Io(shown.clone(), e);
		if let Some(dir) = path.parent() {
			fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(io)?;
			fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io)?;
		}
		if path.exists() && !overwrite {
			return Err(KeyfileError::Exists(shown));
		}
		let json = serde_json::to_string_pretty(self)
			.map_err(|e| KeyfileError::Format(shown.clone(), e.to_string()))?;
		let mut file = fs::OpenOptions::new()
			.write(true)
			.create(true)
			.truncate(true)
			.mode(0o600)
			.open(path)
			.map_err(io)?;
		fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(io)?;
		file.write_all(json.as_bytes()).map_err(io)?;
		file.write_all(b"\n").map_err(io)
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

	use super::*;

	/// Cheap argon2 costs: the tests check the construction, not the cost.
	const FAST: KdfParams = KdfParams { m_cost: 256, t_cost: 1, p_cost: 1 };
	const PHRASE: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

	#[test]
	fn encrypted_keyfile_opens_with_its_password_only() {
		let file = Keyfile::new(PHRASE, Some("correct horse"), FAST).unwrap();
		assert!(file.is_encrypted() && file.secret.is_none());
		let json = serde_json::to_string(&file).unwrap();
		assert!(!json.contains("bottom"), "the mnemonic never appears in the clear");
		let pair = file.open(Some("correct horse"), "k").unwrap();
		assert_eq!(pair.public().to_ss58check(), file.address);
		assert_eq!(pair.public(), pair_from_secret(PHRASE).unwrap().public());
		assert!(matches!(file.open(Some("wrong horse"), "k"), Err(KeyfileError::Decrypt(_))));
		assert!(matches!(file.open(None, "k"), Err(KeyfileError::Format(..))));
	}

	#[test]
	fn same_secret_encrypts_differently_each_time() {
		let a = Keyfile::new(PHRASE, Some("pw"), FAST).unwrap();
		let b = Keyfile::new(PHRASE, Some("pw"), FAST).unwrap();
		assert_eq!(a.address, b.address);
		let (sa, sb) = (a.sealed.clone().unwrap(), b.sealed.clone().unwrap());
		assert_ne!(sa.salt, sb.salt);
		assert_ne!(sa.nonce, sb.nonce);
		assert_ne!(sa.ciphertext, sb.ciphertext);
		assert_eq!(
			a.open(Some("pw"), "a").unwrap().public(),
			b.open(Some("pw"), "b").unwrap().public()
		);
	}

	#[test]
	fn tampering_with_any_part_is_detected() {
		let file = Keyfile::new(PHRASE, Some("pw"), FAST).unwrap();
		let flip = |hex_text: &str| -> String {
			let mut bytes = hex::decode(hex_text).unwrap();
			bytes[0] ^= 1;
			hex::encode(bytes)
		};
		let mut ciphertext = file.clone();
		ciphertext.sealed.as_mut().unwrap().ciphertext =
			flip(&file.sealed.as_ref().unwrap().ciphertext);
		let mut salt = file.clone();
		salt.sealed.as_mut().unwrap().salt = flip(&file.sealed.as_ref().unwrap().salt);
		let mut nonce = file.clone();
		nonce.sealed.as_mut().unwrap().nonce = flip(&file.sealed.as_ref().unwrap().nonce);
		let mut address = file.clone();
		address.address = pair_from_secret("//Alice").unwrap().public().to_ss58check();
		let mut params = file.clone();
		params.sealed.as_mut().unwrap().kdf_params.t_cost = 2;
		for (what, tampered) in [
			("ciphertext", ciphertext),
			("salt", salt),
			("nonce", nonce),
			("address", address),
			("kdf", params),
		] {
			assert!(
				matches!(tampered.open(Some("pw"), what), Err(KeyfileError::Decrypt(_))),
				"a modified {what} is detected"
			);
		}
		// An unencrypted file whose address was swapped fails the address check.
		let mut plain = Keyfile::new(PHRASE, None, FAST).unwrap();
		plain.address = pair_from_secret("//Bob").unwrap().public().to_ss58check();
		assert!(matches!(plain.open(None, "p"), Err(KeyfileError::AddressMismatch(_))));
	}

	#[test]
	fn files_are_private_and_never_overwritten() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("wallet/coldkey");
		let file = Keyfile::new(PHRASE, Some("pw"), FAST).unwrap();
		file.write(&path, false).unwrap();
		let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
		assert_eq!(mode(&path), 0o600);
		assert_eq!(mode(path.parent().unwrap()), 0o700);
		assert_eq!(Keyfile::read(&path).unwrap(), file);
		assert!(matches!(file.write(&path, false), Err(KeyfileError::Exists(_))));
		fs::write(&path, "{ not json").unwrap();
		assert!(matches!(Keyfile::read(&path), Err(KeyfileError::Format(..))));
	}

	#[test]
	fn dev_uris_and_invalid_secrets() {
		let alice = Keyfile::new("//Alice", None, FAST).unwrap();
		assert_eq!(alice.address, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		assert!(matches!(
			Keyfile::new("not a mnemonic", None, FAST),
			Err(KeyfileError::InvalidSecret)
		));
	}
}
