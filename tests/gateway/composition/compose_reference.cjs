// Reference composer for the differential tests: Apollo's @apollo/composition.
//
// stdin:  JSON list of {name, url, sdl}
// stdout: JSON {supergraphSdl} on success, or {errors: [{code, message}]} on failure.
// With --many, stdin is an object {case: [{name, url, sdl}, ...]} and stdout the object
// {case: result} (one Node start for many compositions).
//
// The packages are not installed in the repository: they are resolved from
// $BRAND_MATRIX_NODE_DIR (default ~/.cache/brand-matrix-node), where .ci/run installs them
// with `npm install --prefix DIR @apollo/composition@2.14.4 graphql@16`.
// Exit code 3 means that the packages are missing there.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { createRequire } = require("module");

const dir =
  process.env.BRAND_MATRIX_NODE_DIR || path.join(os.homedir(), ".cache", "brand-matrix-node");
const requireFromDir = createRequire(path.join(path.resolve(dir), "noop.js"));

let composition;
let graphql;
try {
  composition = requireFromDir("@apollo/composition");
  graphql = requireFromDir("graphql");
} catch (error) {
  process.stderr.write(`cannot load @apollo/composition from ${dir}: ${error.message.split("\n")[0]}\n`);
  process.exit(3);
}

function compose(subgraphs) {
  // A subgraph that does not parse is reported as Apollo's subgraph reader does
  // (INVALID_GRAPHQL), not thrown.
  const parseErrors = [];
  const services = [];
  for (const s of subgraphs) {
    try {
      services.push({ name: s.name, url: s.url, typeDefs: graphql.parse(s.sdl) });
    } catch (error) {
      parseErrors.push({ code: "INVALID_GRAPHQL", message: `[${s.name}] ${error.message}` });
    }
  }
  if (parseErrors.length) return { errors: parseErrors };
  let result;
  try {
    result = composition.composeServices(services);
  } catch (error) {
    result = { errors: [error] };
  }
  if (result.errors && result.errors.length) {
    const errors = result.errors.map((e) => ({
      code: (e.extensions && e.extensions.code) || "UNKNOWN",
      message: e.message,
    }));
    return { errors };
  }
  return { supergraphSdl: result.supergraphSdl };
}

const input = JSON.parse(fs.readFileSync(0, "utf8"));
let output;
if (process.argv.includes("--many")) {
  output = {};
  for (const [key, subgraphs] of Object.entries(input)) output[key] = compose(subgraphs);
} else {
  output = compose(input);
}
process.stdout.write(JSON.stringify(output));
