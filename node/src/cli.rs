//! Command-line interface: the standard Substrate `run` options plus Myelin's sealing switch.

use crate::sealing::Sealing;

/// Subcommands besides running the node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect, insert keys into the keystore.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (JSON) from a built-in chain or a file.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of a built-in chain.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks to a file.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database metadata of the chain.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Runtime benchmarks (built with `--features runtime-benchmarks`; see scripts/bench.sh).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),
}

/// The `myelin-node` command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// Seal blocks locally instead of running Aura and GRANDPA, for tests and tooling:
	/// `instant` seals a block for every incoming transaction and at least once a second;
	/// a number seals a block every that many milliseconds. Sealed blocks are final at once.
	/// Only meant for single-node development chains.
	#[arg(long, value_name = "instant|MILLISECONDS")]
	pub sealing: Option<Sealing>,

	/// Directory of inference models for off-chain workers: one subdirectory per model with
	/// `model.safetensors`, `config.json` and `tokenizer.json`, known on chain by the sha256 of
	/// `model.safetensors` (see `scripts/fetch-model.sh`). Default: `~/.myelin/models` if it
	/// exists.
	#[arg(long, value_name = "PATH")]
	pub model_dir: Option<std::path::PathBuf>,

	/// How this node's miner hotkeys answer, for testing incentives: `honest` runs the model;
	/// `noisy` degrades its challenge outputs (failing about half the rounds); `lazy` never runs
	/// it; `cheat-organic` answers challenges honestly and every other API request with noise. Honoured on development and local chains only; the node refuses it elsewhere.
	#[arg(long, value_enum, value_name = "MODE")]
	pub miner_mode: Option<MinerMode>,

	/// Serve the embeddings API of this node's miner hotkeys at this address
	/// (`POST /v1/embeddings`, signed receipts), and advertise it on chain with `serve_axon`.
	#[arg(long, value_name = "ADDR:PORT")]
	pub inference_api: Option<std::net::SocketAddr>,

	/// The address gateways should call the inference API at, when it differs from where it
	/// listens (behind NAT, or listening on 0.0.0.0).
	#[arg(long, value_name = "ADDR:PORT")]
	pub inference_api_public: Option<std::net::SocketAddr>,

	/// Serve the OpenAI-compatible embeddings API to users at this address (`GET /v1/models`,
	/// `POST /v1/embeddings`), answered by the subnets' miners.
	#[arg(long, value_name = "ADDR:PORT")]
	pub gateway: Option<std::net::SocketAddr>,

	/// Serve the web explorer on this address (off by default): subnets, metagraphs, inference
	/// rounds, governance and accounts, read live from this node's JSON-RPC. The browser
	/// connects to the RPC port too, so expose both (and set `--rpc-cors`) beyond localhost.
	#[arg(long, value_name = "ADDR:PORT")]
	pub explorer: Option<std::net::SocketAddr>,

	/// How long the gateway waits for a miner's answer before trying the next one.
	#[arg(long, value_name = "MILLISECONDS", default_value_t = 5000)]
	pub gateway_miner_timeout: u64,

	/// Requests per second one client (IP address) may send the gateway; bursts of twice that.
	#[arg(long, value_name = "PER_SECOND", default_value_t = 50)]
	pub gateway_client_rate: u32,
}

/// A miner behaviour for testing (`--miner-mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MinerMode {
	/// Runs the model and submits its outputs.
	Honest,
	/// Runs the model, submits degraded outputs.
	Noisy,
	/// Submits noise without running the model.
	Lazy,
	/// Answers challenges honestly but every other organic request of the inference API with
	/// noise (what audits catch).
	CheatOrganic,
}

impl MinerMode {
	/// The name the runtime's miner worker reads from off-chain storage.
	pub fn as_bytes(self) -> &'static [u8] {
		match self {
			MinerMode::Honest => b"honest",
			MinerMode::Noisy => b"noisy",
			MinerMode::Lazy => b"lazy",
			// Challenges are answered honestly; only the inference API cheats.
			MinerMode::CheatOrganic => b"honest",
		}
	}
}
