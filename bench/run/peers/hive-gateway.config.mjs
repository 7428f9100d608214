// Hive Gateway configuration for `python -m bench.run --hive-public-setup`, as in the public
// benchmark's setup: identical in-flight subgraph requests are not merged, so every client
// request makes its own subgraph fetches, as with Apollo Gateway.
export const gatewayConfig = {
  transportEntries: {
    '*.http': {
      options: {
        deduplicateInflightRequests: false,
      },
    },
  },
};
