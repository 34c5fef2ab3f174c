//! A status line on stderr while a transaction travels: a spinner on a terminal, one line per
//! status change otherwise (logs, CI). Never on stdout, so `--json` output stays clean.

use std::{
	io::{IsTerminal, Write},
	sync::{Arc, Mutex},
	time::Duration,
};

const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// The status line of one operation.
pub struct Progress {
	status: Arc<Mutex<String>>,
	terminal: bool,
	ticker: Option<tokio::task::JoinHandle<()>>,
}

impl Progress {
	/// Starts a status line for `what`.
	pub fn start(what: &str) -> Progress {
		let terminal = std::io::stderr().is_terminal();
		let status = Arc::new(Mutex::new(String::new()));
		let ticker = terminal.then(|| {
			let status = status.clone();
			let what = what.to_string();
			tokio::spawn(async move {
				for frame in FRAMES.iter().cycle() {
					let line = status.lock().map(|s| s.clone()).unwrap_or_default();
					eprint!("\r\x1b[2K{frame} {what}: {line}");
					let _ = std::io::stderr().flush();
					tokio::time::sleep(Duration::from_millis(100)).await;
				}
			})
		});
		let progress = Progress { status, terminal, ticker };
		if !terminal {
			eprintln!("{what}…");
		}
		progress
	}

	/// Updates the status.
	pub fn set(&self, status: &str) {
		if let Ok(mut current) = self.status.lock() {
			if *current == status {
				return;
			}
			*current = status.to_string();
		}
		if !self.terminal {
			eprintln!("  {status}");
		}
	}
}

impl Drop for Progress {
	fn drop(&mut self) {
		if let Some(ticker) = self.ticker.take() {
			ticker.abort();
			eprint!("\r\x1b[2K");
		}
	}
}
