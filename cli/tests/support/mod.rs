//! Running the `myelin` binary in end-to-end tests, against a node started with the node's
//! test harness (`node/tests/common`).

#![allow(dead_code)]

use std::{
	path::PathBuf,
	process::Command,
	time::{Duration, Instant},
};

use serde_json::Value;

/// The password every test wallet uses (given through `MYELIN_PASSWORD`).
pub const PASSWORD: &str = "hunter2-but-longer";

/// A finished CLI run.
pub struct Run {
	pub code: i32,
	pub stdout: String,
	pub stderr: String,
}

impl Run {
	/// The JSON the command printed; panics with its stderr if it failed.
	pub fn json(&self) -> Value {
		assert_eq!(self.code, 0, "command failed: {}", self.stderr);
		serde_json::from_str(&self.stdout)
			.unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
	}

	/// Asserts a failure with a one-line reason containing `needle`.
	pub fn fails_with(&self, needle: &str) {
		assert_ne!(self.code, 0, "expected a failure, got: {}", self.stdout);
		let reason = self.stderr.lines().last().unwrap_or_default();
		assert!(reason.starts_with("error: "), "one-line reason expected, got {:?}", self.stderr);
		assert!(reason.contains(needle), "reason {reason:?} lacks {needle:?}");
	}
}

/// The CLI pointed at one node and one wallet directory.
pub struct Cli {
	pub url: String,
	pub wallets: PathBuf,
}

impl Cli {
	/// Runs `myelin args`; without a password, any password prompt fails (no terminal).
	pub fn run_with(&self, args: &[&str], password: Option<&str>) -> Run {
		let mut command = Command::new(env!("CARGO_BIN_EXE_myelin"));
		command
			.args(args)
			.env("MYELIN_URL", &self.url)
			.env("MYELIN_WALLET_PATH", &self.wallets)
			.env_remove("MYELIN_PASSWORD")
			.stdin(std::process::Stdio::null());
		if let Some(password) = password {
			command.env("MYELIN_PASSWORD", password);
		}
		let out = command.output().expect("myelin runs");
		Run {
			code: out.status.code().unwrap_or(-1),
			stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
			stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
		}
	}

	/// Runs `myelin args` with the test password.
	pub fn run(&self, args: &[&str]) -> Run {
		self.run_with(args, Some(PASSWORD))
	}

	/// Runs `myelin --json args` and returns its JSON.
	pub fn json(&self, args: &[&str]) -> Value {
		let mut all = vec!["--json"];
		all.extend_from_slice(args);
		self.run(&all).json()
	}

	/// Runs `myelin --json args` every 500 ms until `check` accepts its JSON (90 s at most).
	pub fn until(&self, what: &str, args: &[&str], check: impl Fn(&Value) -> bool) -> Value {
		let deadline = Instant::now() + Duration::from_secs(90);
		loop {
			let value = self.json(args);
			if check(&value) {
				return value;
			}
			assert!(Instant::now() < deadline, "timed out waiting for {what}: {value}");
			std::thread::sleep(Duration::from_millis(500));
		}
	}
}
