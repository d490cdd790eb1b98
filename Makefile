# The two commands of the README:
#   make demo   installs the front-end packages, builds, and serves the demo district
#   make test   installs what the tests need, then runs every check and test
.PHONY: demo test bench setup lint unit e2e build release clean-data

CARGO ?= cargo

demo:
	scripts/setup.sh build
	$(CARGO) run --release -- demo

test:
	scripts/setup.sh test
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) test --workspace  # also builds target/debug/districtops, which the browser tests run
	npm run e2e

# The performance figures of ENGINEERING.md, as ratios against baselines of the same run
# (bench/README.md); takes several minutes at the default 100,000 projects.
bench:
	scripts/setup.sh bench
	$(CARGO) build --release -p districtops
	python3 bench/run.py --binary target/release/districtops

build:
	scripts/setup.sh build
	$(CARGO) build

release:
	scripts/setup.sh build
	$(CARGO) build --release
