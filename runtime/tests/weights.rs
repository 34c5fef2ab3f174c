//! The weight files the runtime charges with were measured over the whole range each component
//! can take on this runtime, on the release host: a linear fit extrapolated past its last
//! measured point can undercharge, and a hand-written estimate is not a measurement.
//!
//! The generated files list each component's benchmarked range ("The range of component `n` is
//! `[1, 4096]`"); this test reads them and compares each range's top with the runtime bound the
//! component stands for. It also evaluates every weight function at its benchmark's worst
//! measured case (`worst_cases.txt`, written by `scripts/bench-worst.py` from the raw results)
//! and requires the charge to cover the measured time plus the storage accesses counted there.

// Test code: panicking on a malformed file is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::arithmetic_side_effects)]

use frame_support::{traits::Get, weights::Weight};
use myelin_primitives::{subnets::bounds::MAX_VALIDATORS, MAX_UIDS_HARD_CAP};
use myelin_runtime::{configs::MAX_SUBNETS, Runtime};

/// Each pallet's generated weight file.
const FILES: [(&str, &str); 5] = [
	("pallet_subnets", include_str!("../src/weights/pallet_subnets.rs")),
	("pallet_stake", include_str!("../src/weights/pallet_stake.rs")),
	("pallet_yuma", include_str!("../src/weights/pallet_yuma.rs")),
	("pallet_emission", include_str!("../src/weights/pallet_emission.rs")),
	("pallet_inference", include_str!("../src/weights/pallet_inference.rs")),
];

/// The largest value the runtime lets `component` of `pallet::function` take; a new component
/// has to be added here with its bound.
fn runtime_bound(pallet: &str, function: &str, component: &str) -> Option<u32> {
	let uids = u32::from(MAX_UIDS_HARD_CAP);
	let subnets = u32::from(MAX_SUBNETS);
	Some(match (pallet, function, component) {
		("pallet_subnets", "burned_register", "n") => uids,
		("pallet_subnets", "on_initialize", "s") => subnets,
		("pallet_subnets", "clear_dissolved", "k") => {
			<Runtime as pallet_subnets::Config>::MaxClearedPerBlock::get()
		}
		("pallet_yuma", "set_weights" | "reveal_weights", "n") => uids,
		("pallet_yuma", "epoch", "n") => uids,
		("pallet_yuma", "epoch", "v") => u32::from(MAX_VALIDATORS),
		("pallet_yuma", "on_initialize", "s") => subnets,
		("pallet_emission", "on_initialize", "s") => subnets,
		// Stakers per pool are unbounded: crediting is O(1), shown up to 10,000 stakers.
		("pallet_emission", "credit", "p") => 10_000,
		("pallet_inference", "reveal_outputs", "e") => {
			<Runtime as pallet_inference::Config>::MaxInputs::get()
				* <Runtime as pallet_inference::Config>::MaxDimensions::get()
		}
		("pallet_inference", "on_initialize", "s") => subnets,
		("pallet_inference", "prune", "k") => {
			<Runtime as pallet_inference::Config>::MaxPrunedPerBlock::get()
		}
		_ => return None,
	})
}

/// One weight function of a generated file: its name, its components, and the benchmarked
/// range the file states for each (`None` when it states none).
struct WeightFn {
	name: String,
	components: Vec<(String, Option<(u32, u32)>)>,
}

fn parse(file: &str) -> Vec<WeightFn> {
	let mut ranges: Vec<(String, (u32, u32))> = Vec::new();
	let mut functions = Vec::new();
	for line in file.lines().map(str::trim) {
		if let Some(rest) = line.strip_prefix("/// The range of component `") {
			let (component, rest) = rest.split_once("` is `[").expect("range line");
			let (low, high) = rest.trim_end_matches("]`.").split_once(", ").expect("bounds");
			ranges.push((component.into(), (low.parse().unwrap(), high.parse().unwrap())));
		} else if let Some(rest) = line.strip_prefix("fn ") {
			let (name, rest) = rest.split_once('(').expect("fn line");
			let params = rest.split_once(')').expect("params").0;
			let components = params
				.split(',')
				.map(str::trim)
				.filter(|p| !p.is_empty())
				.map(|p| {
					let component = p.split_once(':').expect("typed param").0.trim().to_string();
					let range = ranges.iter().find(|(c, _)| *c == component).map(|(_, r)| *r);
					(component, range)
				})
				.collect();
			functions.push(WeightFn { name: name.into(), components });
			ranges.clear();
		}
	}
	functions
}

#[test]
fn every_benchmark_range_reaches_its_runtime_bound() {
	let mut checked = 0;
	for (pallet, file) in FILES {
		let functions = parse(file);
		assert!(!functions.is_empty(), "{pallet}: no weight functions found");
		for function in functions {
			for (component, range) in function.components {
				let what = format!("{pallet}::{}({component})", function.name);
				let (_, high) =
					range.unwrap_or_else(|| panic!("{what}: no measured range (hand-written?)"));
				let bound = runtime_bound(pallet, &function.name, &component)
					.unwrap_or_else(|| panic!("{what}: add its runtime bound to this test"));
				assert!(high >= bound, "{what}: benchmarked up to {high}, runtime allows {bound}");
				checked += 1;
			}
		}
	}
	assert!(checked >= 13, "only {checked} components found");
}

#[test]
fn every_weight_file_is_generated_on_the_release_host() {
	for (pallet, file) in FILES {
		assert!(
			file.contains("myelin-target/release/myelin-node"),
			"{pallet}: not a release build"
		);
		assert!(!file.to_lowercase().contains("hand-"), "{pallet}: holds hand-written weights");
	}
}

#[test]
fn the_parser_reads_ranges_and_flags_missing_ones() {
	let file = "\t/// The range of component `n` is `[2, 4096]`.\n\
		\t/// The range of component `v` is `[1, 256]`.\n\
		\tfn epoch(n: u32, v: u32, ) -> Weight {\n\
		\tfn hand(k: u32) -> Weight {\n";
	let functions = parse(file);
	assert_eq!(functions.len(), 2);
	assert_eq!(functions[0].name, "epoch");
	assert_eq!(
		functions[0].components,
		vec![("n".to_string(), Some((2, 4096))), ("v".to_string(), Some((1, 256)))]
	);
	assert_eq!(functions[1].components, vec![("k".to_string(), None)]);
}

/// The weight the runtime charges for `pallet::benchmark` at `components` (by name).
fn charged(pallet: &str, benchmark: &str, components: &[(String, u32)]) -> Option<Weight> {
	use myelin_runtime::weights as w;
	let c = |name: &str| components.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
	type Subnets = w::pallet_subnets::WeightInfo<Runtime>;
	type Stake = w::pallet_stake::WeightInfo<Runtime>;
	type Yuma = w::pallet_yuma::WeightInfo<Runtime>;
	type Emission = w::pallet_emission::WeightInfo<Runtime>;
	type Inference = w::pallet_inference::WeightInfo<Runtime>;
	use pallet_emission::WeightInfo as _;
	use pallet_inference::WeightInfo as _;
	use pallet_stake::WeightInfo as _;
	use pallet_subnets::WeightInfo as _;
	use pallet_yuma::WeightInfo as _;
	Some(match (pallet, benchmark) {
		("pallet_subnets", "register_network") => Subnets::register_network(),
		("pallet_subnets", "dissolve_network") => Subnets::dissolve_network(),
		("pallet_subnets", "clear_dissolved") => Subnets::clear_dissolved(c("k")?),
		("pallet_subnets", "burned_register") => Subnets::burned_register(c("n")?),
		("pallet_subnets", "set_hyperparameter") => Subnets::set_hyperparameter(),
		("pallet_subnets", "serve_axon") => Subnets::serve_axon(),
		("pallet_subnets", "set_subnet_limit") => Subnets::set_subnet_limit(),
		("pallet_subnets", "associate_hotkey") => Subnets::associate_hotkey(),
		("pallet_subnets", "on_initialize") => Subnets::on_initialize(c("s")?),
		("pallet_stake", "add_stake") => Stake::add_stake(),
		("pallet_stake", "remove_stake") => Stake::remove_stake(),
		("pallet_stake", "move_stake") => Stake::move_stake(),
		("pallet_stake", "transfer_stake") => Stake::transfer_stake(),
		("pallet_stake", "decrease_take") => Stake::decrease_take(),
		("pallet_stake", "increase_take") => Stake::increase_take(),
		("pallet_yuma", "set_weights") => Yuma::set_weights(c("n")?),
		("pallet_yuma", "commit_weights") => Yuma::commit_weights(),
		("pallet_yuma", "reveal_weights") => Yuma::reveal_weights(c("n")?),
		("pallet_yuma", "epoch") => Yuma::epoch(c("n")?, c("v")?),
		("pallet_yuma", "on_initialize") => Yuma::on_initialize(c("s")?),
		("pallet_emission", "set_split_mode") => Emission::set_split_mode(),
		("pallet_emission", "set_owner_cut") => Emission::set_owner_cut(),
		("pallet_emission", "on_initialize") => Emission::on_initialize(c("s")?),
		("pallet_emission", "credit") => Emission::credit(c("p")?),
		("pallet_inference", "set_task_spec") => Inference::set_task_spec(),
		("pallet_inference", "remove_task_spec") => Inference::remove_task_spec(),
		("pallet_inference", "commit_outputs") => Inference::commit_outputs(),
		("pallet_inference", "reveal_outputs") => Inference::reveal_outputs(c("e")?),
		("pallet_inference", "on_initialize") => Inference::on_initialize(c("s")?),
		("pallet_inference", "start_round") => Inference::start_round(),
		("pallet_inference", "prune") => Inference::prune(c("k")?),
		_ => return None,
	})
}

/// Each benchmark's worst measured case (`scripts/bench-worst.py`, run by `scripts/bench.sh`).
const WORST_CASES: &str = include_str!("../src/weights/worst_cases.txt");

#[test]
fn every_charged_weight_covers_its_worst_measured_case() {
	use frame_support::weights::RuntimeDbWeight;
	let db: RuntimeDbWeight = <Runtime as frame_system::Config>::DbWeight::get();
	let mut checked = Vec::new();
	for line in WORST_CASES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
		let fields: Vec<&str> = line.split_whitespace().collect();
		let [pallet, benchmark, components, time_ns, reads, writes] = fields[..] else {
			panic!("bad line {line:?}")
		};
		let components: Vec<(String, u32)> = components
			.split(',')
			.filter(|c| *c != "-")
			.map(|c| {
				let (name, value) = c.split_once('=').expect("name=value");
				(name.to_string(), value.parse().expect("a number"))
			})
			.collect();
		let time_ps = time_ns.parse::<u64>().unwrap() * 1_000;
		let measured = time_ps
			+ db.reads(reads.parse().unwrap()).ref_time()
			+ db.writes(writes.parse().unwrap()).ref_time();
		let charged = charged(pallet, benchmark, &components)
			.unwrap_or_else(|| panic!("{pallet}::{benchmark}: add it to `charged`"));
		assert!(
			charged.ref_time() >= measured,
			"{pallet}::{benchmark} at {components:?}: charged {} µs < measured {} µs",
			charged.ref_time() / 1_000_000,
			measured / 1_000_000
		);
		checked.push(format!("{pallet}::{benchmark}"));
	}
	// Every benchmark of every pallet has its worst case recorded.
	for (pallet, file) in FILES {
		for function in parse(file) {
			let name = format!("{pallet}::{}", function.name);
			assert!(checked.contains(&name), "{name}: no worst case recorded");
		}
	}
}
