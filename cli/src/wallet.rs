//! Wallets on disk: `<root>/<name>/coldkey` (encrypted) and `<root>/<name>/hotkeys/<hotkey>`
//! (plain unless asked otherwise), with `<root>` = `~/.myelin/wallets` unless `--wallet-path`
//! says otherwise. Pending weight commits live in `<root>/<name>/commits/`.
//!
//! Wherever a wallet or hotkey name is expected, a secret URI starting with `//` (`//Alice`,
//! `//Alice//stash`) is accepted too, for dev chains: no file, no password.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use myelin_runtime::AccountId;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};

use crate::keyfile::{pair_from_secret, KdfParams, Keyfile};

/// Environment variable a password can come from, for automation.
pub const PASSWORD_ENV: &str = "MYELIN_PASSWORD";

/// The default wallet root.
pub fn default_root() -> PathBuf {
	dirs::home_dir().unwrap_or_else(|| PathBuf::from(".")).join(".myelin").join("wallets")
}

/// Whether a name is really a dev secret URI.
pub fn is_dev_uri(name: &str) -> bool {
	name.starts_with("//")
}

/// Where to get a password from: the environment, else an interactive prompt.
pub fn password(prompt: &str, confirm: bool) -> Result<String> {
	if let Ok(password) = std::env::var(PASSWORD_ENV) {
		return Ok(password);
	}
	let first = rpassword::prompt_password(prompt)
		.with_context(|| format!("no terminal for the password prompt; set {PASSWORD_ENV}"))?;
	if confirm {
		let second = rpassword::prompt_password("Repeat the password: ")?;
		if first != second {
			bail!("the passwords differ");
		}
	}
	if first.is_empty() {
		bail!("an empty password is not allowed for a coldkey");
	}
	Ok(first)
}

/// A named wallet under a root directory.
pub struct Wallet {
	/// The wallet's directory.
	pub dir: PathBuf,
	/// Its name (or dev URI).
	pub name: String,
}

impl Wallet {
	/// The wallet `name` under `root`.
	pub fn new(root: &Path, name: &str) -> Wallet {
		Wallet { dir: root.join(name), name: name.to_string() }
	}

	/// Path of the coldkey file.
	pub fn coldkey_path(&self) -> PathBuf {
		self.dir.join("coldkey")
	}

	/// Path of a hotkey file.
	pub fn hotkey_path(&self, hotkey: &str) -> PathBuf {
		self.dir.join("hotkeys").join(hotkey)
	}

	/// Directory of pending weight commits.
	pub fn commits_dir(&self) -> PathBuf {
		self.dir.join("commits")
	}

	fn read(path: &Path, what: &str) -> Result<Keyfile> {
		if !path.exists() {
			bail!("{what} not found at {}; create it with `myelin wallet create`", path.display());
		}
		Ok(Keyfile::read(path)?)
	}

	/// The coldkey's address (no password needed).
	pub fn coldkey_address(&self) -> Result<AccountId> {
		if is_dev_uri(&self.name) {
			return Ok(pair_from_secret(&self.name)?.public().into());
		}
		let file = Self::read(&self.coldkey_path(), &format!("wallet {:?}", self.name))?;
		parse_address(&file.address)
	}

	/// The coldkey pair, asking for the password.
	pub fn coldkey(&self) -> Result<sr25519::Pair> {
		if is_dev_uri(&self.name) {
			return Ok(pair_from_secret(&self.name)?);
		}
		let file = Self::read(&self.coldkey_path(), &format!("wallet {:?}", self.name))?;
		let password = if file.is_encrypted() {
			Some(password(&format!("Password of wallet {:?}: ", self.name), false)?)
		} else {
			None
		};
		Ok(file.open(password.as_deref(), &format!("wallet {:?}", self.name))?)
	}

	/// A hotkey's address (no password needed).
	pub fn hotkey_address(&self, hotkey: &str) -> Result<AccountId> {
		if is_dev_uri(hotkey) {
			return Ok(pair_from_secret(hotkey)?.public().into());
		}
		let file = Self::read(&self.hotkey_path(hotkey), &format!("hotkey {hotkey:?}"))?;
		parse_address(&file.address)
	}

	/// A hotkey pair (asking for a password only if it was encrypted).
	pub fn hotkey(&self, hotkey: &str) -> Result<sr25519::Pair> {
		if is_dev_uri(hotkey) {
			return Ok(pair_from_secret(hotkey)?);
		}
		let file = Self::read(&self.hotkey_path(hotkey), &format!("hotkey {hotkey:?}"))?;
		let password = if file.is_encrypted() {
			Some(password(&format!("Password of hotkey {hotkey:?}: "), false)?)
		} else {
			None
		};
		Ok(file.open(password.as_deref(), &format!("hotkey {hotkey:?}"))?)
	}

	/// Writes a new coldkey from `secret`, encrypted with `password`.
	pub fn store_coldkey(&self, secret: &str, password: &str, overwrite: bool) -> Result<Keyfile> {
		let file = Keyfile::new(secret, Some(password), KdfParams::DEFAULT)?;
		file.write(&self.coldkey_path(), overwrite)?;
		Ok(file)
	}

	/// Writes a new hotkey from `secret`, encrypted if `password` is given.
	pub fn store_hotkey(
		&self,
		hotkey: &str,
		secret: &str,
		password: Option<&str>,
		overwrite: bool,
	) -> Result<Keyfile> {
		if hotkey.contains('/') || hotkey.is_empty() {
			bail!("invalid hotkey name {hotkey:?}");
		}
		let file = Keyfile::new(secret, password, KdfParams::DEFAULT)?;
		file.write(&self.hotkey_path(hotkey), overwrite)?;
		Ok(file)
	}

	/// The wallet's hotkeys as (name, address), sorted by name.
	pub fn hotkeys(&self) -> Result<Vec<(String, String)>> {
		let dir = self.dir.join("hotkeys");
		let mut out = Vec::new();
		if dir.is_dir() {
			for entry in std::fs::read_dir(&dir)? {
				let entry = entry?;
				let name = entry.file_name().to_string_lossy().into_owned();
				if let Ok(file) = Keyfile::read(&entry.path()) {
					out.push((name, file.address));
				}
			}
		}
		out.sort();
		Ok(out)
	}
}

/// Every wallet under `root` (directories holding a coldkey), sorted by name.
pub fn list(root: &Path) -> Result<Vec<Wallet>> {
	let mut wallets = Vec::new();
	if root.is_dir() {
		for entry in std::fs::read_dir(root)? {
			let entry = entry?;
			let name = entry.file_name().to_string_lossy().into_owned();
			let wallet = Wallet::new(root, &name);
			if wallet.coldkey_path().is_file() {
				wallets.push(wallet);
			}
		}
	}
	wallets.sort_by(|a, b| a.name.cmp(&b.name));
	Ok(wallets)
}

/// Parses an SS58 address.
pub fn parse_address(text: &str) -> Result<AccountId> {
	AccountId::from_ss58check(text).map_err(|e| anyhow!("{text:?} is not an SS58 address ({e:?})"))
}

/// An account given either as an SS58 address or as a dev URI.
pub fn parse_account(text: &str) -> Result<AccountId> {
	if is_dev_uri(text) {
		return Ok(pair_from_secret(text)?.public().into());
	}
	parse_address(text)
}

/// A fresh 12-word mnemonic and its pair.
pub fn generate() -> (sr25519::Pair, String) {
	let (pair, phrase, _) = sr25519::Pair::generate_with_phrase(None);
	(pair, phrase)
}
