// Apollo Gateway for the benchmark harness (bench/run): one Node process, the supergraph
// from a file, listening on 127.0.0.1. Usage: node apollo-gateway.cjs SUPERGRAPH PORT
// Reporting plugins are disabled explicitly: they add work our gateway does not do (and there
// is no network to report to anyway).
'use strict';

const { readFileSync } = require('node:fs');
const { ApolloGateway } = require('@apollo/gateway');
const { ApolloServer } = require('@apollo/server');
const { startStandaloneServer } = require('@apollo/server/standalone');
const {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} = require('@apollo/server/plugin/disabled');

async function main() {
  const [supergraphPath, port] = process.argv.slice(2);
  if (!supergraphPath || !port) {
    throw new Error('usage: node apollo-gateway.cjs SUPERGRAPH PORT');
  }
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(supergraphPath, 'utf8') });
  const server = new ApolloServer({
    gateway,
    plugins: [
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: Number(port) },
  });
  console.log(`Apollo Gateway ready at ${url}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
