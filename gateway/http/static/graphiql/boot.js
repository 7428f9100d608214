// Mounts GraphiQL with the settings the gateway embeds in the page. It is a file rather than an
// inline script so the page's Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("graphiql-settings").textContent);
  var fetcher = GraphiQL.createFetcher({ url: settings.endpoint });
  // Open the schema's documentation beside the editor: what a front-end developer looks for first.
  var docs = GraphiQL.React && GraphiQL.React.DOC_EXPLORER_PLUGIN;
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: settings.query,
      defaultHeaders: settings.headers,
      shouldPersistHeaders: true,
      visiblePlugin: docs,
    })
  );
})();
