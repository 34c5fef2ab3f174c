//! `myelin wallet …`: keys, balances, transfers and signatures.

use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand};
use myelin_primitives::units::{format_myl, parse_myl};
use myelin_runtime::RuntimeCall;
use serde_json::json;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};

use super::Context;
use crate::{
	keyfile::Keyfile,
	output,
	wallet::{self, parse_account, Wallet},
};

/// Which wallet.
#[derive(Args, Clone)]
pub struct WalletArg {
	/// Wallet name (or a dev URI such as `//Alice`).
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
}

/// Which hotkey of the wallet.
#[derive(Args, Clone)]
pub struct HotkeyArg {
	/// Hotkey name in the wallet (or a dev URI such as `//Alice//stash`).
	#[arg(long, short = 'k', default_value = "default")]
	pub hotkey: String,
}

/// `myelin wallet` subcommands.
#[derive(Subcommand)]
pub enum WalletCommand {
	/// Creates a wallet: an encrypted coldkey and a first hotkey. Prints the mnemonics once.
	Create {
		#[command(flatten)]
		wallet: WalletArg,
		#[command(flatten)]
		hotkey: HotkeyArg,
		/// Encrypt the hotkey too (with the coldkey's password).
		#[arg(long)]
		encrypt_hotkey: bool,
		/// Replace existing keyfiles of the same name.
		#[arg(long)]
		overwrite: bool,
	},
	/// Adds a hotkey to a wallet. Prints its mnemonic once.
	NewHotkey {
		#[command(flatten)]
		wallet: WalletArg,
		#[command(flatten)]
		hotkey: HotkeyArg,
		/// Encrypt the hotkey with a password.
		#[arg(long)]
		encrypt_hotkey: bool,
		/// Replace an existing hotkey of the same name.
		#[arg(long)]
		overwrite: bool,
	},
	/// Restores a coldkey (or, with `--restore-hotkey`, a hotkey) from its mnemonic.
	Regen {
		#[command(flatten)]
		wallet: WalletArg,
		/// The mnemonic (or secret URI).
		#[arg(long, env = "MYELIN_MNEMONIC", hide_env_values = true)]
		mnemonic: String,
		/// Restore this hotkey instead of the coldkey.
		#[arg(long)]
		restore_hotkey: Option<String>,
		/// Encrypt the restored hotkey with a password.
		#[arg(long)]
		encrypt_hotkey: bool,
		/// Replace an existing keyfile.
		#[arg(long)]
		overwrite: bool,
	},
	/// Lists wallets and their hotkeys.
	List,
	/// Shows free, held and staked balance of a wallet's coldkey or any address.
	Balance {
		#[command(flatten)]
		wallet: WalletArg,
		/// An address to show instead of the wallet's coldkey.
		#[arg(long)]
		address: Option<String>,
	},
	/// Transfers MYL from the wallet's coldkey.
	Transfer {
		#[command(flatten)]
		wallet: WalletArg,
		/// Recipient address (or dev URI).
		#[arg(long)]
		to: String,
		/// Amount in MYL, e.g. `12.5`.
		#[arg(long)]
		amount: String,
		/// Allow the sender's account to be reaped (below the existential deposit).
		#[arg(long)]
		allow_death: bool,
	},
	/// Signs a message with the coldkey (or `--hotkey`).
	Sign {
		#[command(flatten)]
		wallet: WalletArg,
		/// Sign with this hotkey instead of the coldkey.
		#[arg(long, short = 'k')]
		hotkey: Option<String>,
		/// The message (UTF-8).
		#[arg(long)]
		message: String,
	},
	/// Verifies an sr25519 signature of a message by an address.
	Verify {
		/// Signer's address.
		#[arg(long)]
		address: String,
		/// The message (UTF-8).
		#[arg(long)]
		message: String,
		/// Signature, hex.
		#[arg(long)]
		signature: String,
	},
}

/// Parses a MYL amount given on the command line.
pub fn amount(text: &str) -> Result<u128> {
	parse_myl(text).ok_or_else(|| anyhow!("{text:?} is not an amount of MYL (e.g. 12.5)"))
}

fn hotkey_password(encrypt: bool) -> Result<Option<String>> {
	encrypt.then(|| wallet::password("Password for the hotkey: ", true)).transpose()
}

fn print_created(ctx: &Context, what: &str, file: &Keyfile, mnemonic: &str) {
	ctx.print(&json!({ "kind": what, "address": file.address, "mnemonic": mnemonic }), || {
		format!(
			"{what} {}\n  mnemonic (write it down; it is not shown again):\n  {mnemonic}",
			file.address
		)
	});
}

/// Runs a `myelin wallet` command.
pub async fn run(ctx: &Context, command: WalletCommand) -> Result<()> {
	match command {
		WalletCommand::Create { wallet, hotkey, encrypt_hotkey, overwrite } => {
			let wallet = ctx.wallet(&wallet.wallet);
			if wallet.coldkey_path().exists() && !overwrite {
				bail!("wallet {:?} exists already at {}", wallet.name, wallet.dir.display());
			}
			let password = wallet::password("Password for the new coldkey: ", true)?;
			let (_, cold_phrase) = wallet::generate();
			let (_, hot_phrase) = wallet::generate();
			let cold = wallet.store_coldkey(&cold_phrase, &password, overwrite)?;
			let hot_password = encrypt_hotkey.then_some(password.as_str());
			let hot = wallet.store_hotkey(&hotkey.hotkey, &hot_phrase, hot_password, overwrite)?;
			ctx.print(
				&json!({
					"wallet": wallet.name,
					"coldkey": cold.address,
					"coldkeyMnemonic": cold_phrase,
					"hotkey": hotkey.hotkey,
					"hotkeyAddress": hot.address,
					"hotkeyMnemonic": hot_phrase,
				}),
				|| {
					format!(
						"wallet {:?} created in {}\n\ncoldkey {}\n  mnemonic (write it down; it \
						 is not shown again):\n  {cold_phrase}\n\nhotkey {:?} {}\n  mnemonic:\n  \
						 {hot_phrase}",
						wallet.name,
						wallet.dir.display(),
						cold.address,
						hotkey.hotkey,
						hot.address
					)
				},
			);
		}
		WalletCommand::NewHotkey { wallet, hotkey, encrypt_hotkey, overwrite } => {
			let wallet = ctx.wallet(&wallet.wallet);
			wallet.coldkey_address()?;
			let password = hotkey_password(encrypt_hotkey)?;
			let (_, phrase) = wallet::generate();
			let file =
				wallet.store_hotkey(&hotkey.hotkey, &phrase, password.as_deref(), overwrite)?;
			print_created(ctx, "hotkey", &file, &phrase);
		}
		WalletCommand::Regen { wallet, mnemonic, restore_hotkey, encrypt_hotkey, overwrite } => {
			let wallet = ctx.wallet(&wallet.wallet);
			let file = match restore_hotkey {
				Some(hotkey) => {
					let password = hotkey_password(encrypt_hotkey)?;
					wallet.store_hotkey(&hotkey, &mnemonic, password.as_deref(), overwrite)?
				}
				None => {
					let password = wallet::password("Password for the coldkey: ", true)?;
					wallet.store_coldkey(&mnemonic, &password, overwrite)?
				}
			};
			ctx.print(&json!({ "address": file.address }), || format!("restored {}", file.address));
		}
		WalletCommand::List => list(ctx)?,
		WalletCommand::Balance { wallet, address } => {
			let who = match address {
				Some(address) => parse_account(&address)?,
				None => ctx.wallet(&wallet.wallet).coldkey_address()?,
			};
			let chain = ctx.chain().await?;
			let (free, held, frozen) = chain.balances(&who).await?;
			let stake: serde_json::Value =
				chain.call("myelin_stakeInfo", jsonrpsee::rpc_params![who.to_ss58check()]).await?;
			let staked = stake["coldkey"]["total"].clone();
			let value = json!({
				"address": who.to_ss58check(),
				"free": format_myl(free),
				"held": format_myl(held),
				"frozen": format_myl(frozen),
				"staked": staked,
			});
			ctx.print(&value, || {
				let mut table = output::table(&["address", "free", "held", "staked"]);
				table.add_row(vec![
					who.to_ss58check(),
					output::myl(&value["free"]),
					output::myl(&value["held"]),
					output::myl(&value["staked"]),
				]);
				table.to_string()
			});
		}
		WalletCommand::Transfer { wallet, to, amount: text, allow_death } => {
			let value = amount(&text)?;
			let dest = parse_account(&to)?;
			let wallet = ctx.wallet(&wallet.wallet);
			let signer = wallet.coldkey()?;
			let chain = ctx.chain().await?;
			let call = if allow_death {
				pallet_balances::Call::transfer_allow_death { dest: dest.clone().into(), value }
			} else {
				pallet_balances::Call::transfer_keep_alive { dest: dest.clone().into(), value }
			};
			ctx.transact(&chain, &signer, RuntimeCall::Balances(call), "transfer", |_| {
				(
					format!("sent {} MYL to {}", format_myl(value), dest.to_ss58check()),
					json!({ "to": dest.to_ss58check(), "amount": format_myl(value) }),
				)
			})
			.await?;
		}
		WalletCommand::Sign { wallet, hotkey, message } => {
			let wallet = ctx.wallet(&wallet.wallet);
			let pair = match hotkey {
				Some(hotkey) => wallet.hotkey(&hotkey)?,
				None => wallet.coldkey()?,
			};
			let signature = pair.sign(message.as_bytes());
			let value = json!({
				"address": pair.public().to_ss58check(),
				"signature": format!("0x{}", hex::encode(signature.0)),
			});
			ctx.print(&value, || output::cell(&value["signature"]));
		}
		WalletCommand::Verify { address, message, signature } => {
			let public = sr25519::Public::from_ss58check(&address)
				.map_err(|e| anyhow!("{address:?} is not an SS58 address ({e:?})"))?;
			let bytes = hex::decode(signature.trim_start_matches("0x"))
				.context("the signature is not hex")?;
			let signature = sr25519::Signature::try_from(bytes.as_slice())
				.map_err(|_| anyhow!("an sr25519 signature is 64 bytes"))?;
			let valid = sr25519::Pair::verify(&signature, message.as_bytes(), &public);
			ctx.print(&json!({ "valid": valid }), || {
				if valid { "valid signature" } else { "INVALID signature" }.to_string()
			});
			if !valid {
				bail!("the signature does not match the message and address");
			}
		}
	}
	Ok(())
}

fn list(ctx: &Context) -> Result<()> {
	let wallets: Vec<Wallet> = wallet::list(&ctx.root)?;
	let mut entries = Vec::new();
	for wallet in &wallets {
		let coldkey = Keyfile::read(&wallet.coldkey_path())?.address;
		let hotkeys: Vec<serde_json::Value> = wallet
			.hotkeys()?
			.into_iter()
			.map(|(name, address)| json!({ "name": name, "address": address }))
			.collect();
		entries.push(json!({ "name": wallet.name, "coldkey": coldkey, "hotkeys": hotkeys }));
	}
	let value = json!({ "path": ctx.root.display().to_string(), "wallets": entries });
	ctx.print(&value, || {
		if entries.is_empty() {
			return format!("no wallets in {}", ctx.root.display());
		}
		let mut table = output::table(&["wallet", "key", "address"]);
		for entry in &entries {
			table.add_row(vec![
				output::cell(&entry["name"]),
				"coldkey".into(),
				output::cell(&entry["coldkey"]),
			]);
			for hotkey in entry["hotkeys"].as_array().into_iter().flatten() {
				table.add_row(vec![
					String::new(),
					format!("hotkey {}", output::cell(&hotkey["name"])),
					output::cell(&hotkey["address"]),
				]);
			}
		}
		table.to_string()
	});
	Ok(())
}
