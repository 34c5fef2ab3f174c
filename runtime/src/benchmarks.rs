//! The pallets whose weights the runtime benchmarks (`scripts/bench.sh`).

frame_benchmarking::define_benchmarks!(
	[pallet_subnets, Subnets]
	[pallet_stake, Stake]
	[pallet_yuma, Yuma]
	[pallet_inference, Inference]
	[pallet_emission, Emission]
);
