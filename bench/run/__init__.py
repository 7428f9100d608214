"""The benchmark harness: `python -m bench.run` measures Brand Matrix beside its peers.

It starts the Python subgraphs, then each gateway in turn (ours, and Apollo Gateway and Hive
Gateway when Node.js is installed), drives a closed-loop load at each, checks every answer
against the benchmark's expected response, and prints a comparison table. The modules have
one job each: `options` (command line), `processes` (process groups and cleanup), `procfs`
(CPU, memory and sockets from /proc), `probe` (plain HTTP calls), `checking` (response
equality), `stats` (percentiles), `loadgen` (the Python load generator, its own process),
`wrk` (the wrk driver), `peers` (npm installs), `gateways` (how each gateway starts),
`measure` (one measured run), `results` (the report and its JSON), `table` (the printout)
and `main` (the order of it all).
"""
