//! The web explorer end to end: a dev node with `--explorer` and a populated demo subnet
//! (a staked validator, weights, two miners answering an inference round, one honestly and one
//! not, a referendum with a vote), its new views checked over JSON-RPC, then every page driven
//! in headless Chromium: rendered with live data, the height moving without a reload, the
//! metagraph sorting and filtering, an unknown subnet shown plainly, the phone layout fitting its
//! width, and no console error anywhere. Screenshots go to `target/tmp/explorer/`.

// Test code: panicking on a broken fixture is the point.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::time::Duration;

use codec::Encode;
use common::{genesis_hash, next_nonce, submit_and_watch, Node, DEMO_NETUID, STEP_TIMEOUT};
use jsonrpsee::{core::client::ClientT, rpc_params, ws_client::WsClient};
use myelin_runtime::{AccountId, RuntimeCall, MYL};
use serde_json::Value;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};

async fn view(
	client: &WsClient,
	method: &str,
	params: jsonrpsee::core::params::ArrayParams,
) -> Value {
	client.request(method, params).await.unwrap_or_else(|e| panic!("{method}: {e}"))
}

async fn signed(client: &WsClient, call: RuntimeCall, signer: &sr25519::Pair) {
	let genesis = genesis_hash(client).await;
	let nonce = next_nonce(client, &signer.public().into()).await;
	let xt = myelin_runtime::signing::sign(call, signer, nonce, genesis);
	assert!(submit_and_watch(client, &xt, STEP_TIMEOUT).await.finalized, "finalized");
}

/// Bob registers `hotkey` on the demo subnet and funds it for its transaction fees.
async fn register_miner(client: &WsClient, bob: &sr25519::Pair, hotkey: &sr25519::Pair) {
	let bob_id: AccountId = bob.public().into();
	let genesis = genesis_hash(client).await;
	signed(client, common::associate(&bob_id, hotkey, genesis), bob).await;
	let id: AccountId = hotkey.public().into();
	let register = pallet_subnets::Call::burned_register {
		netuid: DEMO_NETUID,
		hotkey: id.clone(),
		max_burn: MYL,
	};
	signed(client, RuntimeCall::Subnets(register), bob).await;
	let fund = pallet_balances::Call::transfer_keep_alive { dest: id.into(), value: 10 * MYL };
	signed(client, RuntimeCall::Balances(fund), bob).await;
}

/// One HTTP/1.1 exchange with the explorer's server: the status line and headers (lower-cased),
/// and the body.
fn http(host: &str, request_line: &str) -> (String, String) {
	use std::io::{Read, Write};
	let mut stream = std::net::TcpStream::connect(host).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
	write!(stream, "{request_line}\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
	let mut response = String::new();
	stream.read_to_string(&mut response).unwrap();
	let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
	(head.to_lowercase(), body.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_explorer_shows_the_network_live() {
	let dir = tempfile::tempdir().unwrap();
	let models = dir.path().join("models");
	myelin_inference_engine::testing::write_tiny_model(&models.join("tiny")).unwrap();
	let embedder = myelin_inference_engine::Embedder::load(&models.join("tiny")).unwrap();
	let explorer_port = common::free_port();
	let explorer = format!("127.0.0.1:{explorer_port}");
	let mut node = Node::start(
		&dir.path().join("node"),
		&[
			"--dev",
			"--sealing",
			"300",
			"--model-dir",
			models.to_str().unwrap(),
			"--explorer",
			&explorer,
		],
	);
	let client = node.client().await;

	eprintln!("explorer test: a populated subnet");
	// ---- a populated subnet -----------------------------------------------------------------
	let common::WeightedSubnet { .. } = common::weighted_subnet(&node, &client).await;
	let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
	let bob = sr25519::Pair::from_string("//Bob", None).unwrap();
	let honest = sr25519::Pair::from_string("//Explorer//honest", None).unwrap();
	let wrong = sr25519::Pair::from_string("//Explorer//wrong", None).unwrap();
	register_miner(&client, &bob, &honest).await;
	register_miner(&client, &bob, &wrong).await;

	let spec = myelin_primitives::inference::TaskSpec {
		model: embedder.id(),
		dimensions: 32,
		inputs_per_round: 4,
		// A round is kept for 3 intervals (72 s at 300 ms blocks): long enough for the pages.
		interval: 80,
		commit_window: 20,
		reveal_window: 12,
		score_threshold: 900_000,
		speed_weight: 0,
		audit_rate: 0,
	};
	let set = pallet_inference::Call::set_task_spec { netuid: DEMO_NETUID, spec };
	signed(&client, RuntimeCall::Inference(set), &alice).await;

	// A round with enough of its commit window left for both commits.
	node.wait_until("a round open for commits", STEP_TIMEOUT, || async {
		let task = view(&client, "myelin_inferenceTask", rpc_params![DEMO_NETUID]).await;
		let best = u64::from(common::best_number(&client).await);
		task["round"]["commitUntil"].as_u64().is_some_and(|end| end >= best + 12)
	})
	.await;
	let round =
		view(&client, "myelin_inferenceTask", rpc_params![DEMO_NETUID]).await["round"].clone();
	let index = round["index"].as_u64().unwrap() as u32;
	let commit_until = round["commitUntil"].as_u64().unwrap() as u32;
	let round_seed: [u8; 32] =
		hex::decode(round["seed"].as_str().unwrap().trim_start_matches("0x"))
			.unwrap()
			.try_into()
			.unwrap();
	let mut answers = Vec::new();
	for (miner, truthful) in [(&honest, true), (&wrong, false)] {
		let id: AccountId = miner.public().into();
		let seed = pallet_inference::challenge_seed(&round_seed, &id);
		let inputs = embedder.challenge_inputs(seed, 4);
		let mut outputs = embedder.embed_quantized(&inputs).unwrap();
		if !truthful {
			// Opposite vectors: a cosine of -1 with the reference.
			outputs.iter_mut().flatten().for_each(|x| *x = x.saturating_neg());
		}
		let salt = [7u8; 32];
		let hash = pallet_inference::outputs_hash(&id, DEMO_NETUID, index, &outputs, &salt);
		let commit =
			pallet_inference::Call::commit_outputs { netuid: DEMO_NETUID, round: index, hash };
		signed(&client, RuntimeCall::Inference(commit), miner).await;
		answers.push((miner, outputs, salt));
	}
	node.wait_until("the reveal window", STEP_TIMEOUT, || async {
		common::best_number(&client).await > commit_until
	})
	.await;
	for (miner, outputs, salt) in answers {
		let reveal = pallet_inference::Call::reveal_outputs {
			netuid: DEMO_NETUID,
			round: index,
			outputs,
			salt,
		};
		signed(&client, RuntimeCall::Inference(reveal), miner).await;
	}

	// A referendum on the subnet-params track with Alice's vote (no decision deposit: it stays
	// open, waiting for one).
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: b"explorer".to_vec() });
	let submit = pallet_referenda::Call::submit {
		proposal_origin: Box::new(myelin_runtime::OriginCaller::Governance(
			pallet_governance::Origin::SubnetParams,
		)),
		proposal: frame_support::traits::Bounded::Inline(remark.encode().try_into().unwrap()),
		enactment_moment: frame_support::traits::schedule::DispatchTime::After(1),
	};
	signed(&client, RuntimeCall::Referenda(submit), &alice).await;
	let vote = pallet_conviction_voting::Call::vote {
		poll_index: 0,
		vote: pallet_conviction_voting::AccountVote::Standard {
			vote: pallet_conviction_voting::Vote {
				aye: true,
				conviction: pallet_conviction_voting::Conviction::Locked1x,
			},
			balance: 100 * MYL,
		},
	};
	signed(&client, RuntimeCall::ConvictionVoting(vote), &alice).await;

	// Read at once: without a decision deposit it times out 30 blocks after submission.
	let referenda = view(&client, "myelin_referenda", rpc_params![]).await;
	assert_eq!(referenda["count"], 1);
	assert_eq!(referenda["tracks"].as_array().unwrap().len(), 2);
	let first = &referenda["referenda"][0];
	assert_eq!(first["index"], 0);
	assert_eq!(first["status"], "ongoing", "{first}");
	assert_eq!(first["phase"], "awaitingDeposit");
	assert_eq!(first["trackName"], "subnet-params");
	assert_eq!(first["proposal"], "System.remark");
	assert_eq!(first["tally"]["ayes"], "100.000000000");
	assert_eq!(first["approval"], 1.0);
	assert_eq!(first["deadlineKind"], "depositTimeout");
	assert_eq!(first["deadline"], first["submitted"].as_u64().unwrap() + 30);
	// Before deciding, the track's curves start at their ceilings: 100% approval, 25% support.
	assert_eq!(
		(first["approvalNeeded"].clone(), first["supportNeeded"].clone()),
		(1.0.into(), 0.25.into())
	);
	assert_eq!(first["passing"], false, "100 MYL is far from 25% support");

	eprintln!("explorer test: the new views");
	// ---- the new views ----------------------------------------------------------------------
	let rounds = view(&client, "myelin_inferenceRounds", rpc_params![DEMO_NETUID]).await;
	assert_eq!(rounds["modelAvailable"], true);
	let ours = rounds["rounds"]
		.as_array()
		.unwrap()
		.iter()
		.find(|r| r["index"] == index)
		.expect("the answered round is kept")
		.clone();
	let submission = |miner: &sr25519::Pair| {
		let address = AccountId::from(miner.public()).to_ss58check();
		ours["submissions"]
			.as_array()
			.unwrap()
			.iter()
			.find(|s| s["hotkey"] == address)
			.unwrap_or_else(|| panic!("{address} submitted: {ours}"))
			.clone()
	};
	let (good, bad) = (submission(&honest), submission(&wrong));
	assert_eq!(
		(good["revealed"].clone(), good["passed"].clone()),
		(Value::Bool(true), Value::Bool(true))
	);
	assert!(good["similarity"].as_f64().unwrap() > 0.99, "{good}");
	assert_eq!(
		(bad["revealed"].clone(), bad["passed"].clone()),
		(Value::Bool(true), Value::Bool(false))
	);
	assert!(bad["similarity"].as_f64().unwrap() < 0.0, "{bad}");
	let unknown = client
		.request::<Value, _>("myelin_inferenceRounds", rpc_params![42])
		.await
		.expect_err("no subnet 42");
	assert!(unknown.to_string().contains("subnet 42 does not exist"), "{unknown}");

	let alice_address = AccountId::from(alice.public()).to_ss58check();
	let account = view(&client, "myelin_account", rpc_params![alice_address.clone()]).await;
	assert!(account["free"].as_str().unwrap().parse::<f64>().unwrap() > 0.0);
	let alice_validator =
		AccountId::from(sr25519::Pair::from_string("//Alice//stash", None).unwrap().public());
	let hotkey = account["hotkeys"]
		.as_array()
		.unwrap()
		.iter()
		.find(|h| h["hotkey"] == alice_validator.to_ss58check())
		.expect("Alice owns her validator hotkey")
		.clone();
	assert_eq!(hotkey["subnets"], serde_json::json!([{ "netuid": 1, "uid": 0 }]));
	assert_eq!(account["votes"][0]["referendum"], 0);
	assert_eq!(account["votes"][0]["vote"]["kind"], "aye");
	assert_eq!(account["votes"][0]["vote"]["balance"], "100.000000000");
	let bad_address = client
		.request::<Value, _>("myelin_account", rpc_params!["not-an-address"])
		.await
		.expect_err("a bad address");
	assert!(bad_address.to_string().contains("not an SS58 address"), "{bad_address}");

	let network = view(&client, "myelin_network", rpc_params![]).await;
	assert_eq!(network["initialBlockEmission"], "1.000000000");
	assert_eq!(network["blockEmission"], "1.000000000");
	assert_eq!(network["subnets"][0]["netuid"], 1);
	assert_eq!(network["subnets"][0]["share"], 1.0, "the only subnet with weights: {network}");
	assert_eq!(network["halvings"]["passed"], 0);

	eprintln!("explorer test: the pages");
	// ---- the pages --------------------------------------------------------------------------
	let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("explorer");
	std::fs::create_dir_all(&shots).unwrap();
	let base = format!("http://{explorer}/");
	let (head, body) = http(&explorer, "GET /config.json HTTP/1.1");
	assert!(head.starts_with("http/1.1 200"), "{head}");
	assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["rpcPort"], node.rpc_port);
	let (head, body) = http(&explorer, "GET / HTTP/1.1");
	assert!(head.contains("content-security-policy: default-src 'self'"), "{head}");
	assert!(body.contains("<script src=\"app.js\""), "the page");
	let (head, body) = http(&explorer, "HEAD /app.js HTTP/1.1");
	assert!(head.starts_with("http/1.1 200") && body.is_empty(), "{head}");
	assert!(!head.contains("content-length: 0"), "HEAD tells the real length: {head}");
	assert!(http(&explorer, "GET /../Cargo.toml HTTP/1.1").0.starts_with("http/1.1 404"));
	assert!(http(&explorer, "POST / HTTP/1.1").0.starts_with("http/1.1 405"));
	let wait = Duration::from_secs(60);
	let mut page = browser::Browser::launch().await;
	page.viewport(1280, 900, false).await;

	page.navigate(&base).await;
	page.wait_for(
		"the network page",
		"document.querySelectorAll('#subnets tbody tr').length >= 1 && \
		 document.getElementById('height').textContent !== '–' && \
		 document.body.textContent.includes('Emission per block')",
		wait,
	)
	.await;
	// The height moves with new heads, in the same document (no reload).
	page.eval("window.__sameDocument = true; window.__firstHeight = document.getElementById('height').textContent").await;
	page.wait_for(
		"a new height without reload",
		"window.__sameDocument === true && document.getElementById('height').textContent !== window.__firstHeight",
		wait,
	)
	.await;
	page.screenshot(&shots.join("network.png")).await;

	page.navigate(&format!("{base}#/subnet/1")).await;
	page.wait_for(
		"the metagraph, charts and rounds",
		"document.querySelectorAll('#metagraph tbody tr').length >= 4 && \
		 document.querySelectorAll('.chart svg rect').length >= 2 && \
		 document.body.textContent.includes('Round ')",
		wait,
	)
	.await;
	let uids = "[...document.querySelectorAll('#metagraph tbody tr')].map(r => Number(r.cells[0].textContent))";
	page.eval("document.querySelector('#metagraph th[data-key=uid]').click()").await;
	let descending: Vec<u64> = serde_json::from_value(page.eval(uids).await).unwrap();
	assert!(descending.windows(2).all(|w| w[0] > w[1]), "UIDs descending: {descending:?}");
	page.eval("document.querySelector('#metagraph th[data-key=uid]').click()").await;
	let ascending: Vec<u64> = serde_json::from_value(page.eval(uids).await).unwrap();
	assert!(ascending.windows(2).all(|w| w[0] < w[1]), "UIDs ascending: {ascending:?}");
	assert_eq!(ascending.len(), descending.len());
	// Sorting by stake puts the staked validator (UID 0) first.
	page.eval("document.querySelector('#metagraph th[data-key=stake]').click()").await;
	let by_stake: Vec<u64> = serde_json::from_value(page.eval(uids).await).unwrap();
	assert_eq!(by_stake.first(), Some(&0), "{by_stake:?}");
	// The filter keeps the matching row, across a refresh by the next block.
	let honest_address = AccountId::from(honest.public()).to_ss58check();
	page.eval(&format!(
		"{{ const f = document.getElementById('metagraph-filter'); f.value = '{honest_address}'; \
		 f.dispatchEvent(new Event('input')); }}"
	))
	.await;
	page.wait_for("one filtered row", &format!("{uids}.length === 1"), wait).await;
	let passed_row = "[...document.querySelectorAll('table tr')].some(r => r.querySelector('a[title]') && \
		r.querySelector('a[title]').title === '__HOTKEY__' && r.cells[r.cells.length - 1].textContent === 'yes')";
	page.wait_for(
		"the honest miner's passing round",
		&passed_row.replace("__HOTKEY__", &honest_address),
		wait,
	)
	.await;
	page.eval("{ const f = document.getElementById('metagraph-filter'); f.value = ''; f.dispatchEvent(new Event('input')); }").await;
	page.screenshot(&shots.join("subnet.png")).await;

	page.navigate(&format!("{base}#/account/{alice_address}")).await;
	page.wait_for(
		"the account page",
		"document.querySelectorAll('#hotkeys tbody tr').length >= 1 && \
		 document.querySelectorAll('#votes tbody tr').length >= 1 && \
		 document.body.textContent.includes('Free')",
		wait,
	)
	.await;
	page.screenshot(&shots.join("account.png")).await;

	page.navigate(&format!("{base}#/governance")).await;
	page.wait_for(
		"the governance page",
		"document.querySelectorAll('#referenda tbody tr').length === 1 && \
		 document.querySelectorAll('#tracks tbody tr').length === 2",
		wait,
	)
	.await;
	page.screenshot(&shots.join("governance.png")).await;

	// Errors are shown plainly.
	page.navigate(&format!("{base}#/subnet/42")).await;
	page.wait_for(
		"an unknown subnet's message",
		"document.querySelector('.error') && document.querySelector('.error').textContent.includes('subnet 42 does not exist')",
		wait,
	)
	.await;

	// A phone: the page fits its width (wide tables scroll inside their panels).
	page.viewport(390, 844, true).await;
	page.navigate(&format!("{base}#/subnet/1")).await;
	page.wait_for(
		"the metagraph on a phone",
		"document.querySelectorAll('#metagraph tbody tr').length >= 4",
		wait,
	)
	.await;
	let overflow = page.eval("document.documentElement.scrollWidth - window.innerWidth").await;
	assert!(overflow.as_i64().unwrap() <= 0, "the page is wider than the phone by {overflow}px");
	page.screenshot(&shots.join("subnet-phone.png")).await;

	page.eval("1").await;
	assert!(page.errors().is_empty(), "the page reported errors: {:?}", page.errors());
	assert!(node.is_running());
}
